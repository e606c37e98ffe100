using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Registry.Toml.Tests.Conformance;

/// <summary>
/// toml-test's tagged JSON (../shared/testdata/README.md): encodes a decoded document, and compares
/// one with an expected .json by upstream's rules: floats numerically (nan by string), date-times as
/// values at millisecond precision, everything else exactly.
/// </summary>
internal static class TaggedJson
{
    /// <summary>Returns null when <paramref name="actual"/> matches <paramref name="expected"/>, else the first difference.</summary>
    public static string? Difference(JsonElement expected, TomlValue actual, string path = "$")
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object when IsScalar(expected):
                return ScalarDifference(expected.GetProperty("type").GetString()!, expected.GetProperty("value").GetString()!, actual, path);
            case JsonValueKind.Object:
                if (actual is not TomlTable table)
                {
                    return $"{path}: expected a table, found {actual.Kind}";
                }

                var expectedKeys = expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                var actualKeys = table.Keys.Order(StringComparer.Ordinal).ToList();
                if (!expectedKeys.SequenceEqual(actualKeys))
                {
                    return $"{path}: expected keys [{string.Join(", ", expectedKeys)}], found [{string.Join(", ", actualKeys)}]";
                }

                return expected.EnumerateObject().Select(p => Difference(p.Value, table[p.Name], $"{path}.{p.Name}")).FirstOrDefault(d => d is not null);
            case JsonValueKind.Array:
                if (actual is not TomlArray array)
                {
                    return $"{path}: expected an array, found {actual.Kind}";
                }

                if (array.Count != expected.GetArrayLength())
                {
                    return $"{path}: expected {expected.GetArrayLength()} elements, found {array.Count}";
                }

                return expected.EnumerateArray().Select((e, i) => Difference(e, array[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null);
            default:
                return $"{path}: unexpected JSON {expected.ValueKind} in the expected file";
        }
    }

    /// <summary>An object with exactly the members "type" and "value" (both strings) is a scalar; anything else is a table.</summary>
    private static bool IsScalar(JsonElement element) =>
        element.EnumerateObject().Count() == 2
        && element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
        && element.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String;

    private static string? ScalarDifference(string type, string value, TomlValue actual, string path)
    {
        var equal = (type, actual) switch
        {
            ("string", TomlString s) => s.Value == value,
            ("integer", TomlInteger i) => i.Value.ToString(CultureInfo.InvariantCulture) == value,
            ("float", TomlFloat f) => value.EndsWith("nan", StringComparison.Ordinal) ? double.IsNaN(f.Value) : ParseFloat(value) == f.Value,
            ("bool", TomlBoolean b) => string.Equals(value, b.Value ? "true" : "false", StringComparison.OrdinalIgnoreCase),
            ("datetime", TomlOffsetDateTime d) => Millis(ParseOffsetDateTime(value).UtcTicks) == Millis(d.ToDateTimeOffset().UtcTicks),
            ("datetime-local", TomlLocalDateTime d) => Millis(DateTime.Parse(value, CultureInfo.InvariantCulture).Ticks) == Millis(d.Value.Ticks),
            ("date-local", TomlLocalDate d) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture) == d.Value,
            ("time-local", TomlLocalTime t) => Millis(TimeOnly.Parse(value, CultureInfo.InvariantCulture).Ticks) == Millis(t.Value.Ticks),
            _ => false,
        };
        return equal ? null : $"{path}: expected {type} {value}, found {actual.Kind} {actual}";
    }

    private static long Millis(long ticks) => ticks / TimeSpan.TicksPerMillisecond;

    private static double ParseFloat(string value) => value switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>RFC 3339: a space or 't' may separate date and time, and 'z' may stand for 'Z'.</summary>
    private static DateTimeOffset ParseOffsetDateTime(string value)
    {
        var chars = value.ToCharArray();
        if (chars.Length > 10 && chars[10] is ' ' or 't')
        {
            chars[10] = 'T';
        }

        if (chars[^1] == 'z')
        {
            chars[^1] = 'Z';
        }

        return DateTimeOffset.Parse(new string(chars), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    /// <summary>Encodes a decoded document as tagged JSON, for failure messages.</summary>
    public static JsonNode Encode(TomlValue value) => value switch
    {
        TomlTable table => new JsonObject(table.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Encode(p.Value)))),
        TomlArray array => new JsonArray(array.Select(e => (JsonNode?)Encode(e)).ToArray()),
        _ => new JsonObject
        {
            ["type"] = value.Kind switch
            {
                TomlValueKind.String => "string",
                TomlValueKind.Integer => "integer",
                TomlValueKind.Float => "float",
                TomlValueKind.Boolean => "bool",
                TomlValueKind.OffsetDateTime => "datetime",
                TomlValueKind.LocalDateTime => "datetime-local",
                TomlValueKind.LocalDate => "date-local",
                _ => "time-local",
            },
            ["value"] = value.ToString(),
        },
    };
}
