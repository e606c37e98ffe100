// C2SP tlog-tiles paths below the log prefix: "tile/<L>/<N>[.p/<W>]" for hash tiles and "tile/entries/<N>[.p/<W>]"
// for entry bundles. <L> is 0..63 in decimal without leading zeroes; <N> is split in 3-digit groups, all but the last
// prefixed with 'x' (1234067 -> x001/x234/067); <W> is 1..255 for a partial tile. A tile is 256 hashes wide; the hash
// i of tile N at level L is the RFC 6962 hash of leaves (N·256 + i)·256^L up to (N·256 + i + 1)·256^L, that is the
// node at Merkle level 8·L, index N·256 + i.
using System.Globalization;
using System.Text;

namespace Registry.Core.Transparency;

/// <summary>A parsed tile or entry-bundle path: level (-1 for entries), index and width (256 for a full tile). Immutable.</summary>
public readonly record struct TilePath(int Level, long Index, int Width)
{
    /// <summary>Hashes (or entries) in a full tile.</summary>
    public const int FullWidth = 256;

    /// <summary>The largest tile index this parser accepts (its first node index still fits a <see cref="long"/>).</summary>
    public const long MaxIndex = long.MaxValue / FullWidth;

    /// <summary>The level value of an entry bundle.</summary>
    public const int EntriesLevel = -1;

    /// <summary>True for an entry bundle.</summary>
    public bool IsEntries => Level == EntriesLevel;

    /// <summary>True for a partial tile (<c>.p/W</c>).</summary>
    public bool IsPartial => Width < FullWidth;

    /// <summary>The first node index, at Merkle level 8·Level (leaf index for entries), that the tile holds.</summary>
    public long FirstNode => Index * FullWidth;

    /// <summary>Parses the part after <c>tile/</c>, e.g. <c>0/x001/234</c> or <c>entries/000.p/7</c>; false for anything else.</summary>
    public static bool TryParse(string? path, out TilePath tile)
    {
        tile = default;
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var parts = path.Split('/');
        int level;
        if (parts[0] == "entries")
        {
            level = EntriesLevel;
        }
        else if (!TryParseDecimal(parts[0], 63, out level))
        {
            return false;
        }

        var width = FullWidth;
        var indexParts = parts.AsSpan(1);
        if (indexParts.Length >= 2 && indexParts[^2].EndsWith(".p", StringComparison.Ordinal))
        {
            if (!TryParseDecimal(indexParts[^1], 255, out width) || width == 0)
            {
                return false;
            }

            indexParts[^2] = indexParts[^2][..^2];
            indexParts = indexParts[..^1];
        }

        // At most 6 groups, and an index whose first node (index · 256) fits a long.
        if (indexParts.Length == 0 || indexParts.Length > 6)
        {
            return false;
        }

        long index = 0;
        for (var i = 0; i < indexParts.Length; i++)
        {
            var group = indexParts[i];
            var last = i == indexParts.Length - 1;
            if (!last)
            {
                if (group.Length != 4 || group[0] != 'x')
                {
                    return false;
                }

                group = group[1..];
            }

            if (group.Length != 3 || !group.All(char.IsAsciiDigit))
            {
                return false;
            }

            index = (index * 1000) + int.Parse(group, CultureInfo.InvariantCulture);
        }

        if (index > MaxIndex)
        {
            return false;
        }

        tile = new TilePath(level, index, width);
        return true;
    }

    /// <summary>The path after <c>tile/</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(IsEntries ? "entries" : Level.ToString(CultureInfo.InvariantCulture)).Append('/');
        var groups = new List<string>();
        var n = Index;
        do
        {
            groups.Add((n % 1000).ToString("000", CultureInfo.InvariantCulture));
            n /= 1000;
        }
        while (n > 0);

        groups.Reverse();
        builder.AppendJoin('/', groups.Take(groups.Count - 1).Select(g => "x" + g));
        if (groups.Count > 1)
        {
            builder.Append('/');
        }

        builder.Append(groups[^1]);
        if (IsPartial)
        {
            builder.Append(".p/").Append(Width.ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    private static bool TryParseDecimal(string text, int max, out int value)
    {
        value = 0;
        return text.Length is > 0 and <= 3 && text.All(char.IsAsciiDigit) && (text == "0" || text[0] != '0')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
    }
}
