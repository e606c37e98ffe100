namespace Registry.Toml;

/// <summary>A place in a TOML document: a 1-based line and a 1-based column.</summary>
/// <remarks>
/// Lines are counted by line feeds (a CRLF pair ends one line). Columns count Unicode scalar
/// values from the start of the line, so a tab or a multi-byte character is one column; a UTF-8
/// byte order mark at the start of the document is not counted. <see cref="Unknown"/> (0, 0) is
/// used for values that were not read from text. The type is an immutable value and thread-safe.
/// </remarks>
/// <param name="Line">The 1-based line number.</param>
/// <param name="Column">The 1-based column number.</param>
public readonly record struct TomlPosition(int Line, int Column)
{
    /// <summary>The position of a value that has no place in a document.</summary>
    public static TomlPosition Unknown => default;

    /// <summary>Formats the position as <c>line:column</c>, the form compilers use after a file name.</summary>
    /// <returns>For example <c>12:1</c>.</returns>
    public override string ToString() => $"{Line}:{Column}";
}
