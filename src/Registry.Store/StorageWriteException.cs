namespace Registry.Store;

/// <summary>
/// A write could not be made durable: the disk is full, the device reported an I/O error, or the store is
/// recovering from such a fault. Nothing after the last durable position was acknowledged.
/// </summary>
/// <remarks>
/// This is not corruption: the data already durable is intact and reads keep working. The write plane turns it
/// into <c>503</c> and retries later; once the fault clears, appends succeed again without a restart.
/// Thread-safe (immutable).
/// </remarks>
public sealed class StorageWriteException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">The class of the failure.</param>
    /// <param name="message">What failed, for the operator.</param>
    /// <param name="innerException">The device or file-system error, if any.</param>
    public StorageWriteException(StorageWriteFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    /// <summary>The class of the failure (full disk, I/O error, store closed).</summary>
    public StorageWriteFailure Failure { get; }
}
