namespace Registry.Store;

/// <summary>
/// The one exception type for on-disk corruption: a checksum that does not match, a header that cannot be read,
/// a log that ends where its commit record says it continues, an entry out of sequence.
/// </summary>
/// <remarks>
/// <para>
/// The message always names the file, the byte position inside it (or the log address) and the exact cause, so an
/// operator can look at the bytes. The service refuses to start, or to serve a value, rather than guess past it.
/// </para>
/// <para>Follows KurrentDB's <c>CorruptDatabaseException</c> pattern. Thread-safe (immutable).</para>
/// </remarks>
public sealed class CorruptStoreException : Exception
{
    /// <summary>Creates the exception for corruption found in <paramref name="path"/> at <paramref name="position"/>.</summary>
    /// <param name="path">The file (or, for in-memory stores, the logical name) that is corrupt.</param>
    /// <param name="position">Byte offset in the file, or log address, where the corruption was found.</param>
    /// <param name="cause">What is wrong, in words an operator can act on.</param>
    /// <param name="innerException">The lower-level error that revealed the corruption, if any.</param>
    public CorruptStoreException(string path, long position, string cause, Exception? innerException = null)
        : base(FormatMessage(path, position, cause), innerException)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(cause);
        Path = path;
        Position = position;
        Cause = cause;
    }

    /// <summary>The corrupt file, or the logical name of an in-memory store.</summary>
    public string Path { get; }

    /// <summary>The byte offset in <see cref="Path"/>, or the log address, at which the corruption starts.</summary>
    public long Position { get; }

    /// <summary>The exact cause, without the file and position.</summary>
    public string Cause { get; }

    private static string FormatMessage(string path, long position, string cause) =>
        $"Corrupt store: {path} at position {position}: {cause}";
}
