namespace Registry.Core.Crypto;

/// <summary>libsodium could not be loaded or initialised; names the Debian package that provides it.</summary>
public sealed class SodiumUnavailableException : Exception
{
    /// <summary>The message every start-up error shows.</summary>
    public const string Hint =
        "libsodium (libsodium.so.23) could not be loaded: install the Debian package 'libsodium23' (apt-get install libsodium23).";

    /// <summary>Creates the exception.</summary>
    public SodiumUnavailableException()
        : base(Hint)
    {
    }

    /// <summary>Creates the exception with a custom message.</summary>
    public SodiumUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the loader's error.</summary>
    public SodiumUnavailableException(Exception? innerException)
        : base(Hint, innerException)
    {
    }

    /// <summary>Creates the exception with a message and the loader's error.</summary>
    public SodiumUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
