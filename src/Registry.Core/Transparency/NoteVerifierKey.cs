// C2SP signed-note verifier keys ("vkeys", the text form golang.org/x/mod/sumdb/note reads):
//   <name>+<key ID as 8 lowercase hex digits>+<base64(signature type || public key)>
// with key ID = SHA-256(name || 0x0A || type || public key)[:4], big-endian. Two Ed25519 types are supported:
// 0x01 (signed-note Ed25519 signatures, the log's checkpoint signature) and 0x04 (C2SP tlog-cosignature
// cosignature/v1, timestamped). Anything else is refused.
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Core.Transparency;

/// <summary>A named Ed25519 note verifier key of signature type 0x01 or 0x04 (C2SP signed-note, tlog-cosignature). Immutable; thread-safe.</summary>
public sealed class NoteVerifierKey
{
    /// <summary>Signature type of a signed-note Ed25519 signature.</summary>
    public const byte Ed25519Type = 0x01;

    /// <summary>Signature type of a C2SP cosignature/v1 (timestamped Ed25519).</summary>
    public const byte CosignatureV1Type = 0x04;

    /// <summary>Creates the key of <paramref name="name"/> (a valid note key name) for <paramref name="publicKey"/>.</summary>
    public NoteVerifierKey(string name, byte type, Ed25519PublicKey publicKey)
    {
        if (!SignedNote.IsValidKeyName(name))
        {
            throw new ArgumentException($"'{name}' is not a note key name (non-empty, no spaces, no '+').", nameof(name));
        }

        if (type is not (Ed25519Type or CosignatureV1Type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Only signature types 0x01 and 0x04 (Ed25519) are supported.");
        }

        Name = name;
        Type = type;
        PublicKey = publicKey;
        KeyId = ComputeKeyId(name, type, publicKey.Bytes);
    }

    /// <summary>The key name, as written in signature lines.</summary>
    public string Name { get; }

    /// <summary>The signature type byte (0x01 or 0x04).</summary>
    public byte Type { get; }

    /// <summary>The Ed25519 public key.</summary>
    public Ed25519PublicKey PublicKey { get; }

    /// <summary>The 32-bit key ID: SHA-256(name || 0x0A || type || public key)[:4] as a big-endian integer.</summary>
    public uint KeyId { get; }

    /// <summary>SHA-256(<paramref name="name"/> || 0x0A || <paramref name="type"/> || <paramref name="publicKey"/>)[:4], big-endian.</summary>
    public static uint ComputeKeyId(string name, byte type, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(buffer, 0);
        buffer[nameBytes.Length] = 0x0A;
        buffer[nameBytes.Length + 1] = type;
        publicKey.CopyTo(buffer.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(Digest.Compute(buffer).Bytes);
    }

    /// <summary>Parses a vkey; false for anything that is not one of a supported type with a matching key ID.</summary>
    public static bool TryParse(string? text, out NoteVerifierKey key)
    {
        key = null!;
        if (text is null)
        {
            return false;
        }

        var parts = text.Split('+', 3);
        if (parts.Length != 3 || !SignedNote.IsValidKeyName(parts[0]) || parts[1].Length != 8
            || !parts[1].All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'))
            || !Base64Strict.TryDecode(parts[2], out var material) || material.Length != 1 + Ed25519PublicKey.Size
            || material[0] is not (Ed25519Type or CosignatureV1Type))
        {
            return false;
        }

        var id = uint.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var candidate = new NoteVerifierKey(parts[0], material[0], new Ed25519PublicKey(material.AsSpan(1)));
        if (candidate.KeyId != id)
        {
            return false;
        }

        key = candidate;
        return true;
    }

    /// <summary>Parses a vkey or throws <see cref="FormatException"/>.</summary>
    public static NoteVerifierKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException("Not a C2SP vkey of type 0x01 or 0x04 (name+hex8+base64) with a matching key ID.");

    /// <summary>True when <paramref name="signature"/> names this key (name and key ID) — it must then verify.</summary>
    public bool Names(NoteSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.Name == Name && signature.KeyId == KeyId;
    }

    /// <summary>The vkey text.</summary>
    public override string ToString()
    {
        var material = new byte[1 + Ed25519PublicKey.Size];
        material[0] = Type;
        PublicKey.Bytes.CopyTo(material.AsSpan(1));
        return $"{Name}+{KeyId:x8}+{Convert.ToBase64String(material)}";
    }
}
