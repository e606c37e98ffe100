namespace Registry.Store;

/// <summary>
/// The layout of a data directory, and the lock that keeps two processes from opening it at once.
/// </summary>
/// <remarks>
/// <code>
///   &lt;data&gt;/LOCK                      held (flock, exclusive) while a store has the directory open
///   &lt;data&gt;/log/events.log.N         FasterLog segments
///   &lt;data&gt;/log/log.commit           the log's commit records
///   &lt;data&gt;/checkpoints/checkpoint-*.ckpt
/// </code>
/// </remarks>
public sealed class DataDirectory
{
    /// <summary>Describes the data directory at <paramref name="path"/> (nothing is touched).</summary>
    public DataDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>The log directory.</summary>
    public string LogDirectory => System.IO.Path.Combine(Path, "log");

    /// <summary>The checkpoint directory.</summary>
    public string CheckpointDirectory => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>The lock file.</summary>
    public string LockFile => System.IO.Path.Combine(Path, "LOCK");

    /// <summary>Whether the directory holds any store data (log or checkpoints).</summary>
    public bool HoldsData =>
        (Directory.Exists(LogDirectory) && Directory.EnumerateFiles(LogDirectory).Any())
        || (Directory.Exists(CheckpointDirectory) && Directory.EnumerateFiles(CheckpointDirectory).Any());

    /// <summary>
    /// Takes the directory's lock (creating the directory when missing). The lock is released when the returned
    /// handle is disposed, or by the kernel when the process dies.
    /// </summary>
    /// <exception cref="IOException">Another process holds the lock.</exception>
    public IDisposable Lock()
    {
        Directory.CreateDirectory(Path);
        try
        {
            // On Unix .NET backs FileShare.None with flock(LOCK_EX | LOCK_NB).
            return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The data directory {Path} is in use by another process (its LOCK file is held).", ex);
        }
    }
}
