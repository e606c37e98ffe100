namespace Registry.Api.Storage;

/// <summary>A write could not be made durable (disk full, I/O error, device fault). Nothing was acknowledged.</summary>
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StorageUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public StorageUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
