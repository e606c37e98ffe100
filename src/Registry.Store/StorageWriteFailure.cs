namespace Registry.Store;

/// <summary>Why a write could not be made durable (see <see cref="StorageWriteException"/>).</summary>
public enum StorageWriteFailure
{
    /// <summary>The device reported an I/O error other than a full disk.</summary>
    IoError = 1,

    /// <summary>The file system has no space left (<c>ENOSPC</c>).</summary>
    DiskFull = 2,

    /// <summary>The log is re-opening after an earlier fault; retry shortly.</summary>
    Recovering = 3,

    /// <summary>The store has been disposed.</summary>
    Closed = 4,

    /// <summary>
    /// The store stopped writing after a fault it cannot settle in-process without guessing (after a write became
    /// durable, or when the re-opened log disagrees with what was durable); only a restart, whose recovery replays and
    /// verifies the log, resumes writes.
    /// </summary>
    Halted = 5,
}
