// C2SP signed-note (https://c2sp.org/signed-note, the format of golang.org/x/mod/sumdb/note): a UTF-8 text ending in a
// newline, a blank line, then one or more lines "— <key name> <base64(4-byte big-endian key ID || signature)>". No
// ASCII control character but the newline; the text is separated from the signatures by the last blank line. This
// parser refuses a note over 1 MiB or with more than 100 signature lines (the spec asks verifiers to take at least 16),
// and a signature line whose base64 is not canonical.
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Registry.Core.Crypto;

namespace Registry.Core.Transparency;

/// <summary>A C2SP signed note: its text and its signature lines, in order. Immutable; thread-safe.</summary>
public sealed class SignedNote
{
    /// <summary>The largest note this parser reads, in bytes.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The most signature lines this parser reads.</summary>
    public const int MaxSignatures = 100;

    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    /// <summary>Creates a note; <paramref name="text"/> must be valid note text ending in a newline.</summary>
    public SignedNote(string text, ImmutableArray<NoteSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsValidText(text))
        {
            throw new ArgumentException("Note text must end in a newline and hold no control character but newlines.", nameof(text));
        }

        Text = text;
        Signatures = signatures.IsDefault ? [] : signatures;
    }

    /// <summary>The note text, final newline included.</summary>
    public string Text { get; }

    /// <summary>The signature lines in the order they appear.</summary>
    public ImmutableArray<NoteSignature> Signatures { get; }

    /// <summary>A note name is non-empty, with no Unicode white space and no '+'.</summary>
    public static bool IsValidKeyName(string? name) =>
        !string.IsNullOrEmpty(name) && !name.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c));

    /// <summary>This note with <paramref name="signature"/> added (replacing any line of the same name and key ID).</summary>
    public SignedNote With(NoteSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return new SignedNote(Text, [.. Signatures.Where(s => s.Name != signature.Name || s.KeyId != signature.KeyId), signature]);
    }

    /// <summary>The encoded note: text, a blank line, the signature lines.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(Text).Append('\n');
        foreach (var signature in Signatures)
        {
            builder.Append(signature.ToLine());
        }

        return builder.ToString();
    }

    /// <summary>The encoded note as UTF-8.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());

    /// <summary>
    /// Verifies the signature lines that name <paramref name="key"/> (a type 0x01 key): true when at least one does and
    /// every one of them verifies over the text. Lines of other keys are ignored, as the spec requires.
    /// </summary>
    public bool VerifiedBy(NoteVerifierKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Type != NoteVerifierKey.Ed25519Type)
        {
            return false;
        }

        var text = Encoding.UTF8.GetBytes(Text);
        var seen = false;
        foreach (var signature in Signatures.Where(key.Names))
        {
            if (!key.PublicKey.Verify(text, signature.Signature.Span))
            {
                return false;
            }

            seen = true;
        }

        return seen;
    }

    /// <summary>Parses an encoded note; false for anything that is not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> encoded, out SignedNote note)
    {
        note = null!;
        if (encoded.Length > MaxBytes)
        {
            return false;
        }

        string all;
        try
        {
            all = s_strictUtf8.GetString(encoded);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (all.Any(c => c < 0x20 && c != '\n'))
        {
            return false;
        }

        var split = all.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var text = all[..(split + 1)];
        var block = all[(split + 2)..];
        if (block.Length == 0 || block[^1] != '\n')
        {
            return false;
        }

        var lines = block[..^1].Split('\n');
        if (lines.Length > MaxSignatures)
        {
            return false;
        }

        var signatures = ImmutableArray.CreateBuilder<NoteSignature>(lines.Length);
        foreach (var line in lines)
        {
            if (!TryParseLine(line, out var signature))
            {
                return false;
            }

            signatures.Add(signature);
        }

        note = new SignedNote(text, signatures.MoveToImmutable());
        return true;
    }

    private static bool TryParseLine(string line, out NoteSignature signature)
    {
        signature = null!;
        if (!line.StartsWith("\u2014 ", StringComparison.Ordinal))
        {
            return false;
        }

        var rest = line[2..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }

        var name = rest[..space];
        if (!IsValidKeyName(name) || !Base64Strict.TryDecode(rest[(space + 1)..], out var bytes) || bytes.Length < 5)
        {
            return false;
        }

        signature = new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes.AsMemory(4));
        return true;
    }

    private static bool IsValidText(string text) =>
        text.Length > 0 && text[^1] == '\n' && !text.Any(c => c < 0x20 && c != '\n');
}
