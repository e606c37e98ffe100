using System.Runtime.InteropServices;
using System.Text.Json;

namespace Registry.Core.Json;

public static partial class CanonicalJson
{
    /// <summary>
    /// Writes an element in canonical form. The element may come from any <see cref="JsonDocument"/>, not only
    /// from <see cref="Parse"/>: whatever breaks the profile (nesting deeper than <see cref="MaxDepth"/>, a
    /// duplicate name, invalid UTF-8 or an unpaired surrogate, a number that is not a safe integer) throws
    /// <see cref="CanonicalJsonException"/>, so what is written always reads back with <see cref="Parse"/>.
    /// </summary>
    public static void Write(CanonicalJsonWriter writer, JsonElement element)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteCore(writer, element, 1);
    }

    // level: the nesting level this element has if it is an object or array (the root's is 1).
    private static void WriteCore(CanonicalJsonWriter writer, JsonElement element, int level)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                RequireLevel(level);

                // Each name is read once: JsonProperty.Name allocates a new string on every call.
                var members = new List<(string Name, JsonProperty Member)>();
                foreach (var member in element.EnumerateObject())
                {
                    members.Add((GetName(member), member));
                }

                members.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                for (var i = 0; i < members.Count; i++)
                {
                    var (name, member) = members[i];
                    if (i > 0 && members[i - 1].Name == name)
                    {
                        throw new CanonicalJsonException($"Duplicate member name '{name}'.");
                    }

                    // An unescaped name is already canonical (see strings below) once its UTF-8 is known valid.
                    var raw = JsonMarshal.GetRawUtf8PropertyName(member);
                    if (raw.IndexOf((byte)'\\') < 0)
                    {
                        RequireValidText(raw, member);
                        writer.WriteRawPropertyName(raw);
                    }
                    else
                    {
                        writer.WritePropertyName(name);
                    }

                    WriteCore(writer, member.Value, level + 1);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                RequireLevel(level);
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCore(writer, item, level + 1);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                // Without a backslash the raw text is already canonical: JSON forbids raw '"' and controls
                // inside strings, and canonical form escapes nothing else. Escaped text is decoded and written
                // again (the writer refuses unpaired surrogates).
                var rawString = JsonMarshal.GetRawUtf8Value(element);
                if (rawString.IndexOf((byte)'\\') < 0)
                {
                    RequireValidText(rawString[1..^1], element);
                    writer.WriteCanonical(rawString);
                }
                else
                {
                    writer.WriteString(GetString(element));
                }

                break;
            case JsonValueKind.Number:
                // A plain integer within range is its own canonical form.
                var rawNumber = JsonMarshal.GetRawUtf8Value(element);
                ValidateInteger(rawNumber);
                writer.WriteCanonical(rawNumber);
                break;
            case JsonValueKind.True:
                writer.WriteBoolean(true);
                break;
            case JsonValueKind.False:
                writer.WriteBoolean(false);
                break;
            default:
                writer.WriteNull();
                break;
        }
    }

    private static void RequireLevel(int level)
    {
        if (level > MaxDepth)
        {
            throw new CanonicalJsonException($"Nesting is deeper than {MaxDepth}.");
        }
    }
}
