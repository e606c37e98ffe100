using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Registry.Core.Model;

/// <summary>
/// A SHA-256 digest, written <c>sha256:</c> followed by 64 lowercase hex digits (SPEC §1).
/// A 32-byte value type: no allocation to hold, compare or hash one. Immutable; thread-safe.
/// </summary>
public readonly struct Digest : IEquatable<Digest>, IComparable<Digest>
{
    /// <summary>The text prefix of every digest.</summary>
    public const string Prefix = "sha256:";

    /// <summary>Byte length of a digest.</summary>
    public const int Size = 32;

    private readonly Bytes32 _bytes;

    /// <summary>Copies 32 bytes.</summary>
    public Digest(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A digest is {Size} bytes, not {bytes.Length}.", nameof(bytes));
        }

        bytes.CopyTo(_bytes);
    }

    /// <summary>All zero bytes: the previous-hash of the genesis record and the root of an empty tree.</summary>
    public static Digest Zero => default;

    /// <summary>The raw bytes. The span is only valid while the digest itself is in scope.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static Digest Compute(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[Size];
        Crypto.Sha256.Hash(data, hash);
        return new Digest(hash);
    }

    /// <summary>Parses <c>sha256:</c> + 64 lowercase hex digits; false for any other text.</summary>
    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null || text.Length != Prefix.Length + (2 * Size) || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var hex = text.AsSpan(Prefix.Length);
        foreach (var c in hex)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        Span<byte> bytes = stackalloc byte[Size];
        _ = Convert.FromHexString(hex, bytes, out _, out _);
        digest = new Digest(bytes);
        return true;
    }

    /// <summary>Parses a digest or throws <see cref="FormatException"/>.</summary>
    public static Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"'{text}' is not a sha256:<64 lowercase hex> digest.");

    /// <summary>The bit at <paramref name="index"/> (0 = most significant bit of byte 0), as used by the state tree.</summary>
    public int Bit(int index) => (_bytes[index >> 3] >> (7 - (index & 7))) & 1;

    /// <summary>Lowercase hex without the prefix.</summary>
    public string ToHex() => Convert.ToHexStringLower(Bytes);

    /// <inheritdoc />
    public override string ToString() => Prefix + ToHex();

    /// <inheritdoc />
    public bool Equals(Digest other) => Bytes.SequenceEqual(other.Bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Digest other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(Bytes);

    /// <inheritdoc />
    public int CompareTo(Digest other) => Bytes.SequenceCompareTo(other.Bytes);

    /// <summary>Equality.</summary>
    public static bool operator ==(Digest left, Digest right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Digest left, Digest right) => !left.Equals(right);

    /// <summary>Ordering.</summary>
    public static bool operator <(Digest left, Digest right) => left.CompareTo(right) < 0;

    /// <summary>Ordering.</summary>
    public static bool operator >(Digest left, Digest right) => left.CompareTo(right) > 0;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Digest left, Digest right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Digest left, Digest right) => left.CompareTo(right) >= 0;

    [InlineArray(Size)]
    private struct Bytes32
    {
        private byte _element;
    }
}
