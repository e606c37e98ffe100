// C2SP tlog-cosignature, the Ed25519 "cosignature/v1" type (signature type 0x04). A signature line's bytes after the
// key ID are a timestamped_signature: an 8-byte big-endian POSIX timestamp (at most 2^63 - 1) then the 64-byte
// Ed25519 signature of
//   "cosignature/v1\n" || "time " || <timestamp in ASCII decimal> || "\n" || <the checkpoint's note text>
// The key ID is SHA-256(name || 0x0A || 0x04 || public key)[:4].
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Registry.Core.Transparency;

/// <summary>Builds and verifies C2SP cosignature/v1 signatures. Thread-safe; a bad cosignature is false, never an exception.</summary>
public static class Cosignature
{
    /// <summary>Bytes after the key ID: the 8-byte timestamp and the 64-byte signature.</summary>
    public const int SignatureLength = 8 + 64;

    /// <summary>The signed message for <paramref name="checkpointText"/> at <paramref name="timestamp"/>.</summary>
    public static byte[] Message(string checkpointText, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(checkpointText);
        ArgumentOutOfRangeException.ThrowIfNegative(timestamp);
        return Encoding.UTF8.GetBytes("cosignature/v1\ntime " + timestamp.ToString(CultureInfo.InvariantCulture) + "\n" + checkpointText);
    }

    /// <summary>The signature line for a signature already made over <see cref="Message"/>.</summary>
    public static NoteSignature Line(string name, uint keyId, long timestamp, ReadOnlySpan<byte> signature)
    {
        var bytes = new byte[SignatureLength];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, (ulong)timestamp);
        signature.CopyTo(bytes.AsSpan(8));
        return new NoteSignature(name, keyId, bytes);
    }

    /// <summary>
    /// Verifies the cosignature lines of <paramref name="note"/> that name <paramref name="key"/> (a type 0x04 key).
    /// True, with the newest timestamp, when at least one does and every one verifies.
    /// </summary>
    public static bool TryVerify(SignedNote note, NoteVerifierKey key, out long timestamp)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(key);
        timestamp = -1;
        if (key.Type != NoteVerifierKey.CosignatureV1Type)
        {
            return false;
        }

        foreach (var line in note.Signatures.Where(key.Names))
        {
            var bytes = line.Signature.Span;
            if (bytes.Length != SignatureLength)
            {
                return false;
            }

            var time = BinaryPrimitives.ReadUInt64BigEndian(bytes);
            if (time > long.MaxValue || !key.PublicKey.Verify(Message(note.Text, (long)time), bytes[8..]))
            {
                return false;
            }

            timestamp = Math.Max(timestamp, (long)time);
        }

        return timestamp >= 0;
    }
}
