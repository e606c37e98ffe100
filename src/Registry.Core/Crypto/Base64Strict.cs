namespace Registry.Core.Crypto;

/// <summary>
/// Standard base64 with padding (RFC 4648 §4), strictly: no whitespace, no URL alphabet, and the
/// encoding must be the canonical one (re-encoding gives the same text), so one value has one spelling.
/// </summary>
public static class Base64Strict
{
    /// <summary>Decodes canonical standard base64; false for anything else.</summary>
    public static bool TryDecode(string text, out byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        bytes = [];
        if (text.Length % 4 != 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            var ok = c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '=';
            if (!ok)
            {
                return false;
            }
        }

        try
        {
            bytes = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return false;
        }

        return Convert.ToBase64String(bytes) == text;
    }
}
