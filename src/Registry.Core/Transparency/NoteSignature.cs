using System.Buffers.Binary;

namespace Registry.Core.Transparency;

/// <summary>
/// One signature line of a C2SP signed note: <c>— &lt;name&gt; base64(key ID || signature)</c>. <see cref="Signature"/>
/// is what follows the 4-byte key ID (64 bytes for Ed25519; 8 + 64 for a cosignature/v1). Immutable; thread-safe.
/// </summary>
public sealed record NoteSignature(string Name, uint KeyId, ReadOnlyMemory<byte> Signature)
{
    /// <summary>The base64 field of the line: base64(big-endian key ID || signature).</summary>
    public string ToBase64()
    {
        var bytes = new byte[4 + Signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, KeyId);
        Signature.Span.CopyTo(bytes.AsSpan(4));
        return Convert.ToBase64String(bytes);
    }

    /// <summary>The whole line, with the em dash (U+2014) and the final newline.</summary>
    public string ToLine() => $"\u2014 {Name} {ToBase64()}\n";
}
