namespace Registry.Api.Hosting;

/// <summary>Storage could not be recovered at start: the service refuses to serve (exit code 4).</summary>
public sealed class StorageRecoveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageRecoveryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageRecoveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public StorageRecoveryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
