namespace Registry.Toml.Schema;

/// <summary>Walks one document against one schema and collects every error; single-use and not thread-safe.</summary>
internal sealed partial class TomlSchemaWalker
{
    private readonly List<TomlValidationError> _errors = [];
    private readonly string _sourceName;

    private TomlSchemaWalker(string sourceName) => _sourceName = sourceName;

    public static List<TomlValidationError> Walk(TomlTable document, TomlTableSchema schema, string sourceName)
    {
        var walker = new TomlSchemaWalker(sourceName);
        walker.Table(document, schema, path: string.Empty);
        return walker._errors;
    }

    private void Table(TomlTable table, TomlTableSchema schema, string path)
    {
        var seen = new Dictionary<TomlPropertySchema, string>();
        foreach (var (key, value) in table)
        {
            var keyPath = TomlKeyPath.Append(path, key);
            var position = table.GetKeyPosition(key);
            if (!schema.Properties.TryGetValue(key, out var property))
            {
                Add(TomlValidationErrorKind.UnknownKey, keyPath, position, $"unknown key '{keyPath}'{Suggestion(key, schema)}; {TableName(path)} accepts: {string.Join(", ", schema.Properties.Keys)}");
                continue;
            }

            if (!seen.TryAdd(property, key))
            {
                Add(TomlValidationErrorKind.InvalidValue, keyPath, position, $"key '{keyPath}' sets the same option as '{TomlKeyPath.Append(path, seen[property])}' (keys are matched case-insensitively)");
                continue;
            }

            Value(value, property.Node, keyPath, position, property);
        }

        foreach (var property in schema.Properties.Values)
        {
            if (property.Required && !seen.ContainsKey(property))
            {
                var keyPath = TomlKeyPath.Append(path, property.Key);
                Add(TomlValidationErrorKind.MissingKey, keyPath, table.Position, $"missing required key '{keyPath}' in {TableName(path)}");
            }
        }
    }

    private void Value(TomlValue value, TomlSchemaNode node, string path, TomlPosition position, TomlPropertySchema? property)
    {
        switch (node, value)
        {
            case (TomlTableSchema schema, TomlTable table):
                Table(table, schema, path);
                break;
            case (TomlArraySchema schema, TomlArray array):
                for (var i = 0; i < array.Count; i++)
                {
                    Value(array[i], schema.Element, TomlKeyPath.Index(path, i), array[i].Position, property: null);
                }

                break;
            case (TomlMapSchema schema, TomlTable map):
                foreach (var (key, entry) in map)
                {
                    Value(entry, schema.Value, TomlKeyPath.Append(path, key), map.GetKeyPosition(key), property: null);
                }

                break;
            case (TomlScalarSchema schema, _):
                Scalar(value, schema, path, position, property);
                break;
            default:
                WrongType(value, node, path, position);
                break;
        }
    }

    private void WrongType(TomlValue value, TomlSchemaNode node, string path, TomlPosition position) =>
        Add(TomlValidationErrorKind.WrongType, path, position, $"key '{path}' must be {node.Expected}, found {Describe(value)}");

    private void Add(TomlValidationErrorKind kind, string path, TomlPosition position, string message) =>
        _errors.Add(new TomlValidationError(kind, path, _sourceName, position, message));

    private static string TableName(string path) => path.Length == 0 ? "the top level" : $"table [{path}]";

    private static string Describe(TomlValue value) => value switch
    {
        TomlString s => $"a string (\"{s.Value}\")",
        TomlInteger i => $"an integer ({i})",
        TomlFloat f => $"a float ({f})",
        TomlBoolean b => $"a boolean ({b})",
        TomlTable => "a table",
        TomlArray => "an array",
        _ => $"a date/time ({value})",
    };

    /// <summary>" (did you mean 'port'?)" when a known key is within two edits of the unknown one.</summary>
    private static string Suggestion(string key, TomlTableSchema schema)
    {
        var best = schema.Properties.Keys
            .Select(k => (Key: k, Distance: EditDistance(key.ToUpperInvariant(), k.ToUpperInvariant())))
            .Where(c => c.Distance <= Math.Min(2, key.Length / 2))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Key is null ? string.Empty : $" (did you mean '{best.Key}'?)";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
