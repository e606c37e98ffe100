using System.Text;

namespace Registry.Toml.Schema;

/// <summary>A TOML configuration document does not fit the options it configures; <see cref="Errors"/> lists every problem.</summary>
public sealed class TomlValidationException : Exception
{
    /// <summary>Creates an exception with a generic message and no errors.</summary>
    public TomlValidationException()
        : this("The TOML configuration is invalid.")
    {
    }

    /// <summary>Creates an exception with a message and no errors.</summary>
    /// <param name="message">What went wrong.</param>
    public TomlValidationException(string message)
        : base(message) => Errors = [];

    /// <summary>Creates an exception with a message, no errors and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TomlValidationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [];

    /// <summary>Creates an exception listing <paramref name="errors"/>, one per line of the message.</summary>
    /// <param name="errors">The problems found; at least one.</param>
    public TomlValidationException(IReadOnlyList<TomlValidationError> errors)
        : base(FormatMessage(errors)) => Errors = errors;

    /// <summary>Every problem found, in document order per source.</summary>
    public IReadOnlyList<TomlValidationError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<TomlValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var message = new StringBuilder(errors.Count == 1 ? "The TOML configuration has 1 error:" : $"The TOML configuration has {errors.Count} errors:");
        foreach (var error in errors)
        {
            message.Append('\n').Append("  ").Append(error);
        }

        return message.ToString();
    }
}
