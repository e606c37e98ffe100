// The body of a C2SP tlog-witness add-checkpoint request (https://c2sp.org/tlog-witness):
//   "old " <size the client believes the witness holds, ASCII decimal, no leading zeroes> "\n"
//   zero to 63 lines, each the standard base64 of one 32-byte hash of the RFC 6962 consistency proof, "\n"
//   "\n"
//   <the checkpoint as a C2SP signed note, which may carry several signatures>
// Every line ends in a newline. This parser refuses anything else (a proof line that is not 32 bytes of canonical
// base64, a 64th proof line, a size with a leading zero) rather than guess.
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Core.Transparency;

/// <summary>An add-checkpoint request: the old size, the consistency proof from it, and the signed checkpoint. Immutable; thread-safe.</summary>
/// <param name="OldSize">The tree size of the witness's latest cosigned checkpoint, as the client believes it (0: none).</param>
/// <param name="Proof">The RFC 6962 consistency proof from <paramref name="OldSize"/> to the checkpoint's size (empty when the old size is 0).</param>
/// <param name="Note">The signed checkpoint note.</param>
public sealed record AddCheckpointRequest(long OldSize, ImmutableArray<Digest> Proof, SignedNote Note)
{
    /// <summary>The most proof lines a client may send (C2SP tlog-witness).</summary>
    public const int MaxProofLines = 63;

    /// <summary>The request body.</summary>
    public byte[] ToBytes()
    {
        var builder = new StringBuilder("old ").Append(OldSize.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var hash in Proof)
        {
            builder.Append(Convert.ToBase64String(hash.Bytes)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.Append('\n').Append(Note.ToString()).ToString());
    }

    /// <summary>Parses a request body; false, with what is wrong, for anything that is not one.</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out AddCheckpointRequest request, out string error)
    {
        request = null!;
        var at = 0;
        if (!TryLine(body, ref at, out var first) || !first.StartsWith("old ", StringComparison.Ordinal) || !TryParseSize(first[4..], out var oldSize))
        {
            error = "the body must start with the line 'old <size>' (a decimal with no leading zeroes)";
            return false;
        }

        var proof = ImmutableArray.CreateBuilder<Digest>();
        while (true)
        {
            if (!TryLine(body, ref at, out var line))
            {
                error = "the old size and proof lines must be followed by an empty line and the checkpoint";
                return false;
            }

            if (line.Length == 0)
            {
                break;
            }

            if (proof.Count == MaxProofLines)
            {
                error = $"more than {MaxProofLines} consistency proof lines";
                return false;
            }

            if (!Base64Strict.TryDecode(line, out var hash) || hash.Length != Digest.Size)
            {
                error = $"consistency proof line {proof.Count + 1} is not the base64 of a 32-byte hash";
                return false;
            }

            proof.Add(new Digest(hash));
        }

        if (!SignedNote.TryParse(body[at..], out var note))
        {
            error = "the checkpoint is not a signed note";
            return false;
        }

        request = new AddCheckpointRequest(oldSize, proof.ToImmutable(), note);
        error = string.Empty;
        return true;
    }

    private static bool TryLine(ReadOnlySpan<byte> body, ref int at, out string line)
    {
        line = string.Empty;
        var end = body[at..].IndexOf((byte)'\n');
        if (end < 0 || end > 128)
        {
            return false;
        }

        var bytes = body.Slice(at, end);
        foreach (var b in bytes)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        line = Encoding.ASCII.GetString(bytes);
        at += end + 1;
        return true;
    }

    private static bool TryParseSize(string text, out long size)
    {
        size = 0;
        return text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
