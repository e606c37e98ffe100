namespace Registry.Api.Tests.Ops;

/// <summary>A systemd unit file read as [Section] key=value lines (repeated keys keep every value in order).</summary>
internal sealed class UnitFile
{
    private readonly Dictionary<(string Section, string Key), List<string>> _values = [];

    private UnitFile()
    {
    }

    public static UnitFile Read(string path)
    {
        var unit = new UnitFile();
        var section = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = (section, line[..equals]);
            if (!unit._values.TryGetValue(key, out var list))
            {
                unit._values[key] = list = [];
            }

            list.Add(line[(equals + 1)..]);
        }

        return unit;
    }

    /// <summary>The last value of a key (systemd's rule for single-valued settings), or null.</summary>
    public string? this[string section, string key] => _values.TryGetValue((section, key), out var list) ? list[^1] : null;

    /// <summary>Every value of a key, in order.</summary>
    public IReadOnlyList<string> All(string section, string key) => _values.TryGetValue((section, key), out var list) ? list : [];
}
