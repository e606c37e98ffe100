namespace Registry.Core;

/// <summary>
/// A document handed to the registry does not fit the data model. Thrown only at the parsing edge;
/// <see cref="Code"/> is <see cref="RegistryErrorCode.Malformed"/> or <see cref="RegistryErrorCode.InvalidDescriptor"/>.
/// </summary>
public sealed class RegistryFormatException : FormatException
{
    /// <summary>Creates a <see cref="RegistryErrorCode.Malformed"/> error.</summary>
    public RegistryFormatException()
        : this(RegistryErrorCode.Malformed, "Malformed document.")
    {
    }

    /// <summary>Creates a <see cref="RegistryErrorCode.Malformed"/> error with a message.</summary>
    public RegistryFormatException(string message)
        : this(RegistryErrorCode.Malformed, message)
    {
    }

    /// <summary>Creates a <see cref="RegistryErrorCode.Malformed"/> error with a message and cause.</summary>
    public RegistryFormatException(string message, Exception? innerException)
        : base(message, innerException) => Code = RegistryErrorCode.Malformed;

    /// <summary>Creates an error with a code and message.</summary>
    public RegistryFormatException(RegistryErrorCode code, string message)
        : base(message) => Code = code;

    /// <summary>The wire code.</summary>
    public RegistryErrorCode Code { get; }

    internal static RegistryFormatException Malformed(string message) => new(RegistryErrorCode.Malformed, message);

    internal static RegistryFormatException Invalid(string message) => new(RegistryErrorCode.InvalidDescriptor, message);
}
