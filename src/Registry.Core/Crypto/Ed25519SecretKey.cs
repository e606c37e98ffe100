// An Ed25519 signing key through NSec.Cryptography (https://nsec.rocks). The key lives in an NSec Key: libsodium
// guarded memory (sodium_malloc: guard pages, mlock'd so it is not swapped), zeroed and freed on Dispose. The seed
// (the RFC 8032 private key) leaves that memory only through ExportSeed, and only for a key made with
// allowSeedExport, which maps to NSec's KeyExportPolicies.AllowPlaintextArchiving: one export, to write the key file.
using NSec.Cryptography;

namespace Registry.Core.Crypto;

/// <summary>An Ed25519 secret key held in NSec's guarded memory, zeroed and freed when disposed.</summary>
/// <remarks>
/// Thread-safe for concurrent signing. Disposal must not race with use (NSec's handle reference counting makes a
/// racing <see cref="Sign(ReadOnlySpan{byte}, Span{byte})"/> fail with <see cref="ObjectDisposedException"/>, never
/// touch freed memory). By default the key cannot be exported at all; see <see cref="ExportSeed"/>.
/// </remarks>
public sealed class Ed25519SecretKey : IDisposable
{
    /// <summary>Bytes in a seed (the RFC 8032 private key).</summary>
    internal const int SeedSize = 32;

    private readonly Key _key;
    private volatile bool _disposed;

    private Ed25519SecretKey(Key key)
    {
        _key = key;
        PublicKey = new Ed25519PublicKey(key.PublicKey);
    }

    /// <summary>The public half of this key.</summary>
    public Ed25519PublicKey PublicKey { get; }

    /// <summary>Derives the key pair from a 32-byte RFC 8032 seed (the "private key" of RFC 8032 §5.1.5).</summary>
    /// <param name="seed">The seed; copied into guarded memory (the caller owns, and should zero, its buffer).</param>
    /// <param name="allowSeedExport">True only for a key that is to be written to a key file: allows one <see cref="ExportSeed"/>.</param>
    public static Ed25519SecretKey FromSeed(ReadOnlySpan<byte> seed, bool allowSeedExport = false)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes, not {seed.Length}.", nameof(seed));
        }

        var parameters = CreationParameters(allowSeedExport);
        return new Ed25519SecretKey(Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, in parameters));
    }

    /// <summary>Generates a fresh key (the seed comes from the operating system's CSPRNG, straight into guarded memory).</summary>
    /// <param name="allowSeedExport">True only for a key that is to be written to a key file: allows one <see cref="ExportSeed"/>.</param>
    public static Ed25519SecretKey Generate(bool allowSeedExport = false)
    {
        var parameters = CreationParameters(allowSeedExport);
        return new Ed25519SecretKey(Key.Create(SignatureAlgorithm.Ed25519, in parameters));
    }

    /// <summary>Copies the 32-byte seed out, for writing a key file. The caller owns (and should zero) the buffer.</summary>
    /// <exception cref="InvalidOperationException">
    /// The key was made without <c>allowSeedExport</c>, or its one export has been used already.
    /// </exception>
    public void ExportSeed(Span<byte> destination)
    {
        if (destination.Length != SeedSize)
        {
            throw new ArgumentException($"The seed buffer must be {SeedSize} bytes.", nameof(destination));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_key.TryExport(KeyBlobFormat.RawPrivateKey, destination, out var written) || written != SeedSize)
        {
            throw new InvalidOperationException("NSec exported an Ed25519 private key that is not a 32-byte seed.");
        }
    }

    /// <summary>Signs <paramref name="message"/> into the 64-byte <paramref name="signature"/> (RFC 8032, deterministic).</summary>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        if (signature.Length != Ed25519PublicKey.SignatureSize)
        {
            throw new ArgumentException($"An Ed25519 signature is {Ed25519PublicKey.SignatureSize} bytes.", nameof(signature));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        SignCore(message, signature);
    }

    /// <summary>Signs <paramref name="message"/> and returns the 64-byte signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519PublicKey.SignatureSize];
        Sign(message, signature);
        return signature;
    }

    /// <summary>Zeroes and frees the key's guarded memory.</summary>
    public void Dispose()
    {
        _disposed = true;
        _key.Dispose();
    }

    private void SignCore(ReadOnlySpan<byte> message, Span<byte> signature) =>
        SignatureAlgorithm.Ed25519.Sign(_key, message, signature);

    private static KeyCreationParameters CreationParameters(bool allowSeedExport) => new()
    {
        ExportPolicy = allowSeedExport ? KeyExportPolicies.AllowPlaintextArchiving : KeyExportPolicies.None,
    };
}
