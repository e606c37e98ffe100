// RFC 8785 JSON Canonicalization Scheme, restricted to the registry's profile (SPEC §1):
// numbers must be integers within ±(2^53-1) written without fraction or exponent (so "1.0",
// "1e2" and "-0" are rejected rather than rewritten); duplicate member names, nesting deeper
// than 32, comments, trailing commas and invalid UTF-8 are rejected. Member names are sorted by
// UTF-16 code units (RFC 8785 §3.2.3), which string.CompareOrdinal gives directly.
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Registry.Core.Json;

/// <summary>Strict parsing and RFC 8785 canonicalization. Stateless; thread-safe.</summary>
public static class CanonicalJson
{
    /// <summary>Deepest nesting accepted (objects and arrays).</summary>
    public const int MaxDepth = 32;

    /// <summary>Largest magnitude of an integer: 2^53-1, the range IEEE doubles hold exactly.</summary>
    public const long MaxSafeInteger = 9_007_199_254_740_991;

    private static readonly JsonDocumentOptions s_options = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>
    /// Parses and validates <paramref name="utf8"/> against the profile. The caller disposes the document.
    /// </summary>
    /// <exception cref="CanonicalJsonException">The input breaks the profile; the message says how.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, s_options);
        }
        catch (JsonException ex)
        {
            throw new CanonicalJsonException("Malformed JSON: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            // The duplicate-name check unescapes every member name and throws this (not JsonException)
            // for a name holding invalid UTF-8 or an unpaired surrogate escape.
            throw new CanonicalJsonException("A member name holds invalid UTF-8 or an unpaired surrogate escape.", ex);
        }

        try
        {
            Validate(document.RootElement);
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    /// <summary>Returns the canonical bytes of <paramref name="utf8"/>.</summary>
    /// <exception cref="CanonicalJsonException">The input breaks the profile.</exception>
    public static byte[] Canonicalize(ReadOnlyMemory<byte> utf8)
    {
        using var document = Parse(utf8);
        return Canonicalize(document.RootElement);
    }

    /// <summary>Returns the canonical bytes of an element from a document produced by <see cref="Parse"/>.</summary>
    public static byte[] Canonicalize(JsonElement element)
    {
        var writer = new CanonicalJsonWriter();
        Write(writer, element);
        return writer.ToArray();
    }

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

    /// <summary>Reads a string element, mapping invalid escapes to <see cref="CanonicalJsonException"/>.</summary>
    public static string GetString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new CanonicalJsonException("A string holds an invalid escape or unpaired surrogate.", ex);
        }
    }

    private static string GetName(JsonProperty member)
    {
        try
        {
            return member.Name;
        }
        catch (InvalidOperationException ex)
        {
            throw new CanonicalJsonException("A member name holds invalid UTF-8 or an unpaired surrogate escape.", ex);
        }
    }

    private static void Validate(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    RequireValidText(JsonMarshal.GetRawUtf8PropertyName(member), member);
                    Validate(member.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Validate(item);
                }

                break;
            case JsonValueKind.String:
                RequireValidText(JsonMarshal.GetRawUtf8Value(element)[1..^1], element);
                break;
            case JsonValueKind.Number:
                ValidateInteger(JsonMarshal.GetRawUtf8Value(element));
                break;
            default:
                break;
        }
    }

    private static void ValidateInteger(ReadOnlySpan<byte> raw)
    {
        var digits = raw.Length > 0 && raw[0] == (byte)'-' ? raw[1..] : raw;
        var plain = digits.Length is > 0 and <= 16 && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;
        if (!plain)
        {
            throw new CanonicalJsonException(
                $"The number '{System.Text.Encoding.UTF8.GetString(raw)}' is not allowed: only integers within ±(2^53-1), without fraction or exponent.");
        }

        if (digits is [(byte)'0'] && raw.Length != 1)
        {
            throw new CanonicalJsonException("The number '-0' is not allowed: write 0.");
        }

        var magnitude = long.Parse(digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        if (magnitude > MaxSafeInteger)
        {
            throw new CanonicalJsonException($"The integer {System.Text.Encoding.UTF8.GetString(raw)} is outside ±(2^53-1).");
        }
    }

    // The raw (still escaped) UTF-8 of a string or member name must be valid UTF-8 and, once unescaped,
    // hold no unpaired surrogate. Unescaped text needs only the (vectorised) UTF-8 check.
    private static void RequireValidText(ReadOnlySpan<byte> raw, JsonElement value)
    {
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            RequireScalarValues(GetString(value));
        }
        else if (!Utf8.IsValid(raw))
        {
            throw new CanonicalJsonException("A string holds invalid UTF-8.");
        }
    }

    private static void RequireValidText(ReadOnlySpan<byte> raw, JsonProperty member)
    {
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            RequireScalarValues(GetName(member));
        }
        else if (!Utf8.IsValid(raw))
        {
            throw new CanonicalJsonException("A member name holds invalid UTF-8.");
        }
    }

    private static void RequireScalarValues(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new CanonicalJsonException("A string holds an unpaired UTF-16 surrogate escape.");
            }
        }
    }
}
