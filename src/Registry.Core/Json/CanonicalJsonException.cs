namespace Registry.Core.Json;

/// <summary>
/// The input is not JSON that the registry accepts: bad syntax, invalid UTF-8, a duplicate key, nesting
/// deeper than <see cref="CanonicalJson.MaxDepth"/>, or a number that is not an integer within ±(2^53-1).
/// </summary>
public sealed class CanonicalJsonException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public CanonicalJsonException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CanonicalJsonException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public CanonicalJsonException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
