namespace Registry.Toml;

/// <summary>A TOML document could not be read: it is not valid TOML 1.0.0, or not valid UTF-8.</summary>
/// <remarks>
/// <see cref="Exception.Message"/> reads "<c>line 3, column 9: expected '=' after key 'port', found ':'</c>",
/// prefixed by the source name when one is known. <see cref="Line"/> and <see cref="Column"/> are
/// 1-based and point at the first character that does not fit; <see cref="Reason"/> is the message
/// without the location.
/// </remarks>
public sealed class TomlException : Exception
{
    /// <summary>Creates an exception with a generic message and no location.</summary>
    public TomlException()
        : this("The TOML document is invalid.")
    {
    }

    /// <summary>Creates an exception with a message and no location.</summary>
    /// <param name="message">What went wrong.</param>
    public TomlException(string message)
        : base(message) => Reason = message;

    /// <summary>Creates an exception with a message, no location and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TomlException(string message, Exception innerException)
        : base(message, innerException) => Reason = message;

    /// <summary>Creates an exception for a place in a document.</summary>
    /// <param name="reason">What was expected and what was found there.</param>
    /// <param name="line">The 1-based line.</param>
    /// <param name="column">The 1-based column.</param>
    /// <param name="sourceName">The file or other source the document came from, if known.</param>
    public TomlException(string reason, int line, int column, string? sourceName = null)
        : base(FormatMessage(reason, line, column, sourceName))
    {
        Reason = reason;
        Line = line;
        Column = column;
        SourceName = sourceName;
    }

    /// <summary>The 1-based line of the error, or 0 when the error has no location.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the error, or 0 when the error has no location.</summary>
    public int Column { get; }

    /// <summary>The file or other source the document came from, if known.</summary>
    public string? SourceName { get; }

    /// <summary>The message without the source name and location.</summary>
    public string Reason { get; }

    private static string FormatMessage(string reason, int line, int column, string? sourceName) =>
        sourceName is null
            ? $"line {line}, column {column}: {reason}"
            : $"{sourceName}, line {line}, column {column}: {reason}";
}
