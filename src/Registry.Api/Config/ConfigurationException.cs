namespace Registry.Api.Config;

/// <summary>Start-up stops: the configuration names an unknown key, holds a bad value, or cannot be read.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the error.</summary>
    public ConfigurationException()
    {
    }

    /// <summary>Creates the error with a message naming the key and, for the file, its line.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the error with a message and cause.</summary>
    public ConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
