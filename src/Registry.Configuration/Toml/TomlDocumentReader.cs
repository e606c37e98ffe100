using System.Globalization;
using Microsoft.Extensions.Configuration;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Registry.Configuration.Toml;

/// <summary>
/// Turns Tomlyn's syntax tree into configuration data: tables and arrays flatten to paths joined by ':'
/// (<c>server:port</c>, <c>peers:0:name</c>), scalars to invariant text that configuration binding reads,
/// and an empty table or array to a null value, as the JSON provider does. Tomlyn checks TOML itself
/// (syntax, duplicate keys, table redefinition); this adds one rule: configuration keys are
/// case-insensitive, so two TOML keys that would become the same configuration key (<c>Port</c> and
/// <c>port</c>, or <c>"a:b"</c> and <c>a.b</c>) are an error instead of one silently winning.
/// </summary>
internal sealed class TomlDocumentReader
{
    private readonly string _sourceName;
    private readonly List<TomlEntry> _entries = [];
    private readonly Dictionary<string, TomlEntry> _byPath = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _data = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _parents = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Elements so far of each array of tables (<c>[[name]]</c>), by configuration path.</summary>
    private readonly Dictionary<string, int> _tableArrays = new(StringComparer.OrdinalIgnoreCase);
    private readonly DiagnosticsBag _errors = new();

    private TomlDocumentReader(string sourceName) => _sourceName = sourceName;

    /// <exception cref="TomlException">The text is not TOML 1.1, or two keys map to one configuration key; <see cref="TomlException.Diagnostics"/> lists each.</exception>
    public static TomlDocument Read(string text, string sourceName)
    {
        var syntax = SyntaxParser.Parse(text, sourceName, validate: true);
        if (syntax.HasErrors)
        {
            throw new TomlException(syntax.Diagnostics);
        }

        var reader = new TomlDocumentReader(sourceName);
        reader.KeyValues(syntax.KeyValues, string.Empty, string.Empty);
        foreach (var table in syntax.Tables)
        {
            reader.Table(table);
        }

        if (reader._errors.HasErrors)
        {
            throw new TomlException(reader._errors);
        }

        foreach (var container in reader._entries.Where(e => e.Kind != TomlEntryKind.Scalar && !reader._parents.Contains(e.Path)))
        {
            reader._data[container.Path] = null;
        }

        return new TomlDocument(sourceName, reader._entries, reader._data);
    }

    private void Table(TableSyntaxBase table)
    {
        var (path, keyPath) = (string.Empty, string.Empty);
        var segments = Segments(table.Name!);
        for (var i = 0; i < segments.Count; i++)
        {
            var (name, node) = segments[i];
            (path, keyPath) = Child(path, keyPath, name);
            if (i == segments.Count - 1 && table is TableArraySyntax)
            {
                var index = _tableArrays.GetValueOrDefault(path);
                _tableArrays[path] = index + 1;
                Add(path, keyPath, TomlEntryKind.Array, null, node);
                (path, keyPath) = Element(path, keyPath, index);
                Add(path, keyPath, TomlEntryKind.Table, null, table);
            }
            else if (_tableArrays.TryGetValue(path, out var count))
            {
                // [a.b] after [[a]] extends the last element of a.
                (path, keyPath) = Element(path, keyPath, count - 1);
            }
            else
            {
                Add(path, keyPath, TomlEntryKind.Table, null, node);
            }
        }

        KeyValues(table.Items, path, keyPath);
    }

    private void KeyValues(IEnumerable<KeyValueSyntax> keyValues, string path, string keyPath)
    {
        foreach (var keyValue in keyValues)
        {
            var segments = Segments(keyValue.Key!);
            var (childPath, childKeyPath) = (path, keyPath);
            for (var i = 0; i < segments.Count; i++)
            {
                (childPath, childKeyPath) = Child(childPath, childKeyPath, segments[i].Name);
                if (i < segments.Count - 1)
                {
                    Add(childPath, childKeyPath, TomlEntryKind.Table, null, segments[i].Node);
                }
            }

            Value(keyValue.Value!, childPath, childKeyPath, segments[^1].Node);
        }
    }

    private void Value(ValueSyntax value, string path, string keyPath, SyntaxNode at)
    {
        switch (value)
        {
            case ArraySyntax array:
                Add(path, keyPath, TomlEntryKind.Array, null, at);
                var index = 0;
                foreach (var item in array.Items)
                {
                    var (elementPath, elementKeyPath) = Element(path, keyPath, index++);
                    Value(item.Value!, elementPath, elementKeyPath, item.Value!);
                }

                break;
            case InlineTableSyntax table:
                Add(path, keyPath, TomlEntryKind.Table, null, at);
                KeyValues(table.Items.Select(i => i.KeyValue!), path, keyPath);
                break;
            default:
                Add(path, keyPath, TomlEntryKind.Scalar, value, at);
                _data[path] = Text(value);
                break;
        }
    }

    /// <summary>Records an entry; a table met again (a header after its dotted or implicit parent) is the same entry.</summary>
    private void Add(string path, string keyPath, TomlEntryKind kind, ValueSyntax? value, SyntaxNode at)
    {
        if (_byPath.TryGetValue(path, out var first))
        {
            if (first.Kind == kind && kind != TomlEntryKind.Scalar && string.Equals(first.KeyPath, keyPath, StringComparison.Ordinal))
            {
                return;
            }

            _errors.Error(at.Span, $"key '{keyPath}' and key '{first.KeyPath}' ({first.Location}) both map to configuration key '{path}'; configuration keys are case-insensitive and use ':' as a separator");
            return;
        }

        var entry = new TomlEntry(path, keyPath, kind, value, _sourceName, at.Span.Start.Line + 1, at.Span.Start.Column + 1);
        _entries.Add(entry);
        _byPath[path] = entry;
        var parent = path.LastIndexOf(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
        if (parent > 0)
        {
            _parents.Add(path[..parent]);
        }
    }

    private static (string Path, string KeyPath) Child(string path, string keyPath, string name)
    {
        var segment = BareKeySyntax.IsBareKey(name) ? name : "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        return path.Length == 0 ? (name, segment) : (path + ConfigurationPath.KeyDelimiter + name, keyPath + "." + segment);
    }

    private static (string Path, string KeyPath) Element(string path, string keyPath, int index) =>
        (path + ConfigurationPath.KeyDelimiter + index.ToString(CultureInfo.InvariantCulture), $"{keyPath}[{index}]");

    private static List<(string Name, SyntaxNode Node)> Segments(KeySyntax key)
    {
        var segments = new List<(string, SyntaxNode)> { (Name(key.Key!), key.Key!) };
        segments.AddRange(key.DotKeys.Select(d => (Name(d.Key!), (SyntaxNode)d.Key!)));
        return segments;
    }

    private static string Name(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => throw new InvalidOperationException($"unexpected key syntax {key.GetType().Name}"),
    };

    /// <summary>Scalars as the text configuration binding parses: invariant numbers, lower-case booleans, RFC 3339 date-times.</summary>
    private static string Text(ValueSyntax value) => value switch
    {
        StringValueSyntax s => s.Value!,
        IntegerValueSyntax i => i.Value.ToString(CultureInfo.InvariantCulture),
        FloatValueSyntax f => f.Value.ToString("R", CultureInfo.InvariantCulture),
        BooleanValueSyntax b => b.Value ? "true" : "false",
        DateTimeValueSyntax d => d.Value.ToString(),
        _ => throw new InvalidOperationException($"unexpected value syntax {value.GetType().Name}"),
    };
}
