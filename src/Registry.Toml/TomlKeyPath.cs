using System.Text;

namespace Registry.Toml;

/// <summary>Writes key paths the way a TOML author would: <c>server.port</c>, <c>peers[0].name</c>, <c>"odd key".x</c>.</summary>
internal static class TomlKeyPath
{
    /// <summary>Appends a key to a path, quoting it when it is not a bare key.</summary>
    public static string Append(string parent, string key)
    {
        var segment = IsBare(key) ? key : Quote(key);
        return parent.Length == 0 ? segment : parent + "." + segment;
    }

    /// <summary>Appends an array index to a path.</summary>
    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool IsBare(string key) =>
        key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static string Quote(string key)
    {
        var quoted = new StringBuilder("\"", key.Length + 2);
        foreach (var c in key)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                < ' ' or '\u007F' => quoted.Append($"\\u{(int)c:X4}"),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
