using System.Runtime.InteropServices;

namespace Registry.Core.Crypto;

/// <summary>A raw 32-byte Ed25519 public key (RFC 8032 encoding). Immutable value; thread-safe.</summary>
public readonly struct Ed25519PublicKey : IEquatable<Ed25519PublicKey>
{
    private readonly byte[]? _bytes;

    /// <summary>Copies a 32-byte encoded key. The encoding is not validated here; <see cref="Verify"/> rejects bad keys.</summary>
    public Ed25519PublicKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Sodium.PublicKeyBytes)
        {
            throw new ArgumentException($"An Ed25519 public key is {Sodium.PublicKeyBytes} bytes, not {bytes.Length}.", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>The encoded key.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Standard base64 with padding, as carried in signer sets.</summary>
    public string ToBase64() => Convert.ToBase64String(Bytes);

    /// <summary>Parses a base64 key; false for bad base64 or a wrong length.</summary>
    public static bool TryParseBase64(string? text, out Ed25519PublicKey key)
    {
        key = default;
        if (text is null || !Base64Strict.TryDecode(text, out var bytes) || bytes.Length != Sodium.PublicKeyBytes)
        {
            return false;
        }

        key = new Ed25519PublicKey(bytes);
        return true;
    }

    /// <summary>
    /// Verifies an RFC 8032 pure-Ed25519 signature. Returns false for any malformed input (wrong lengths,
    /// non-canonical encodings, S &gt;= L, small-order points) — never throws for bad input.
    /// </summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (_bytes is null || signature.Length != Sodium.SignatureBytes)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        return VerifyCore(message, signature);
    }

    private bool VerifyCore(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Sodium.crypto_sign_ed25519_verify_detached(
            ref MemoryMarshal.GetReference(signature),
            ref MemoryMarshal.GetReference(message),
            (ulong)message.Length,
            ref MemoryMarshal.GetArrayDataReference(_bytes!)) == 0;

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
