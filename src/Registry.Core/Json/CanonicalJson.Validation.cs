using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Registry.Core.Json;

public static partial class CanonicalJson
{
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
