using Microsoft.Extensions.Configuration;

namespace Registry.Toml.Configuration;

/// <summary>
/// Turns a TOML document into configuration data: tables and arrays flatten to paths joined by ':'
/// (<c>server:port</c>, <c>peers:0:name</c>), scalars to invariant text that configuration binding
/// reads (see each scalar's ToString), and an empty table or array to a null value, as the JSON
/// provider does. Configuration keys are case-insensitive, so two TOML keys that differ only in case
/// (or a key containing ':' that meets a nested one) would silently overwrite each other: that is an error.
/// </summary>
internal sealed class TomlConfigurationFlattener
{
    private readonly Dictionary<string, string?> _data = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (TomlPosition Position, string TomlPath)> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _sourceName;

    private TomlConfigurationFlattener(string sourceName) => _sourceName = sourceName;

    /// <summary>The configuration data and the position of each key.</summary>
    public static (Dictionary<string, string?> Data, Dictionary<string, TomlPosition> Positions) Flatten(TomlTable document, string sourceName)
    {
        var flattener = new TomlConfigurationFlattener(sourceName);
        flattener.VisitTable(document, configPath: string.Empty, tomlPath: string.Empty);
        var positions = flattener._origins.ToDictionary(o => o.Key, o => o.Value.Position, StringComparer.OrdinalIgnoreCase);
        return (flattener._data, positions);
    }

    private void VisitTable(TomlTable table, string configPath, string tomlPath)
    {
        foreach (var (key, value) in table)
        {
            var childConfig = configPath.Length == 0 ? key : configPath + ConfigurationPath.KeyDelimiter + key;
            Visit(value, childConfig, TomlKeyPath.Append(tomlPath, key), table.GetKeyPosition(key));
        }
    }

    private void Visit(TomlValue value, string configPath, string tomlPath, TomlPosition position)
    {
        switch (value)
        {
            case TomlTable { Count: 0 }:
            case TomlArray { Count: 0 }:
                Set(configPath, null, tomlPath, position);
                break;
            case TomlTable table:
                Record(configPath, tomlPath, position);
                VisitTable(table, configPath, tomlPath);
                break;
            case TomlArray array:
                Record(configPath, tomlPath, position);
                for (var i = 0; i < array.Count; i++)
                {
                    Visit(array[i], configPath + ConfigurationPath.KeyDelimiter + i.ToString(System.Globalization.CultureInfo.InvariantCulture), TomlKeyPath.Index(tomlPath, i), array[i].Position);
                }

                break;
            default:
                Set(configPath, value.ToString(), tomlPath, position);
                break;
        }
    }

    private void Set(string configPath, string? text, string tomlPath, TomlPosition position)
    {
        Record(configPath, tomlPath, position);
        _data[configPath] = text;
    }

    /// <summary>Remembers where a path came from; a second TOML key on the same configuration path is an error.</summary>
    private void Record(string configPath, string tomlPath, TomlPosition position)
    {
        if (_origins.TryGetValue(configPath, out var first))
        {
            throw new TomlException(
                $"key '{tomlPath}' and key '{first.TomlPath}' (line {first.Position.Line}, column {first.Position.Column}) both map to configuration key '{configPath}'; configuration keys are case-insensitive and use ':' as a separator",
                position.Line,
                position.Column,
                _sourceName);
        }

        _origins[configPath] = (position, tomlPath);
    }
}
