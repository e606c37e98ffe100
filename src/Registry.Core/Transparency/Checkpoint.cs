// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text of a transparency log's tree head, three
// lines each ending in a newline: the origin (here the registry id), the tree size in decimal with no leading zeroes,
// and the standard base64 of the 32-byte RFC 6962 root hash. This registry's checkpoints carry no extension lines,
// and the parser refuses any (the spec makes them optional and does not recommend them).
using System.Globalization;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Core.Transparency;

/// <summary>A tree head: origin, size and root hash (the body of a C2SP checkpoint). Immutable; thread-safe.</summary>
public sealed record Checkpoint(string Origin, long Size, Digest Root)
{
    /// <summary>The note text: <c>origin\nsize\nbase64(root)\n</c>.</summary>
    public string ToText() => $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(Root.Bytes)}\n";

    /// <summary>Parses a checkpoint note text with no extension lines; false for anything else.</summary>
    public static bool TryParse(string? text, out Checkpoint checkpoint)
    {
        checkpoint = null!;
        if (text is null || text.Length == 0 || text[^1] != '\n')
        {
            return false;
        }

        var lines = text[..^1].Split('\n');
        if (lines.Length != 3 || lines[0].Length == 0 || !TryParseSize(lines[1], out var size)
            || !Base64Strict.TryDecode(lines[2], out var root) || root.Length != Digest.Size)
        {
            return false;
        }

        checkpoint = new Checkpoint(lines[0], size, new Digest(root));
        return true;
    }

    private static bool TryParseSize(string text, out long size)
    {
        size = 0;
        return text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0')
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out size);
    }
}
