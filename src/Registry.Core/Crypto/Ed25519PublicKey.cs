// RFC 8032 pure Ed25519 verification through NSec.Cryptography (https://nsec.rocks), which calls libsodium's
// crypto_sign_ed25519_verify_detached from the libsodium build NSec ships. That verifier is strict: it rejects
// S >= L (malleability), non-canonical and small-order R and A encodings, and signatures that are not 64 bytes,
// which is what Wycheproof's ed25519_test.json expects of every case (tests/Registry.Core.Tests/Crypto).
using NSec.Cryptography;

namespace Registry.Core.Crypto;

/// <summary>A raw 32-byte Ed25519 public key (RFC 8032 encoding). Immutable value; thread-safe.</summary>
/// <remarks>
/// Equality, hashing and <see cref="Bytes"/> work on the 32 bytes. The key is also imported once into an NSec
/// <see cref="PublicKey"/> when the value is made, so <see cref="Verify"/> pays no per-call import.
/// </remarks>
public readonly struct Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    /// <summary>Bytes in an encoded public key.</summary>
    internal const int Size = 32;

    /// <summary>Bytes in a signature (R || S).</summary>
    internal const int SignatureSize = 64;

    private readonly byte[]? _bytes;
    private readonly PublicKey? _key;

    /// <summary>Copies a 32-byte encoded key. The encoding is not validated here; <see cref="Verify"/> rejects bad keys.</summary>
    public Ed25519PublicKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"An Ed25519 public key is {Size} bytes, not {bytes.Length}.", nameof(bytes));
        }

        _bytes = bytes.ToArray();

        // A raw NSec public key is only its 32 bytes: the import checks the length, not the point, so it cannot
        // fail here. Invalid points (non-canonical, small order) are the verifier's to reject.
        _key = PublicKey.Import(SignatureAlgorithm.Ed25519, _bytes, KeyBlobFormat.RawPublicKey);
    }

    /// <summary>Wraps the public half of an NSec key (no second import).</summary>
    internal Ed25519PublicKey(PublicKey key)
    {
        _key = key;
        _bytes = key.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The encoded key.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Standard base64 with padding, as carried in signer sets.</summary>
    public string ToBase64() => Convert.ToBase64String(Bytes);

    /// <summary>Parses a base64 key; false for bad base64 or a wrong length.</summary>
    public static bool TryParseBase64(string? text, out Ed25519PublicKey key)
    {
        key = default;
        if (text is null || !Base64Strict.TryDecode(text, out var bytes) || bytes.Length != Size)
        {
            return false;
        }

        key = new Ed25519PublicKey(bytes);
        return true;
    }

    /// <summary>
    /// Verifies an RFC 8032 pure-Ed25519 signature. Returns false for any malformed input (wrong lengths,
    /// non-canonical encodings, S &gt;= L, small-order points) and for the default value — never throws for bad input.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        _key is not null && signature.Length == SignatureSize && VerifyCore(_key, message, signature);

    private static bool VerifyCore(PublicKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        SignatureAlgorithm.Ed25519.Verify(key, message, signature);

    /// <inheritdoc />
    public bool Equals(Ed25519PublicKey other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Ed25519PublicKey other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _bytes is null ? 0 : BitConverter.ToInt32(_bytes, 0);

    /// <inheritdoc />
    public override string ToString() => ToBase64();

    /// <summary>Equality.</summary>
    public static bool operator ==(Ed25519PublicKey left, Ed25519PublicKey right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Ed25519PublicKey left, Ed25519PublicKey right) => !left.Equals(right);
}
