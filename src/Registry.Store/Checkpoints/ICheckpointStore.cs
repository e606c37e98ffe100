namespace Registry.Store.Checkpoints;

/// <summary>
/// Keeps the newest checkpoints of the registry state. Writes are atomic: a reader (or a restart) sees a
/// checkpoint whole or not at all.
/// </summary>
/// <remarks>
/// Checkpoints are ordered by their log position (<see cref="Checkpoint.Next"/>): proposals and approvals advance
/// the log and the state without changing the registry version. Calls block on file I/O (a large checkpoint takes
/// milliseconds): call them off latency-sensitive threads. Thread-safe.
/// </remarks>
public interface ICheckpointStore
{
    /// <summary>How many checkpoints are kept; older ones are deleted after each write.</summary>
    public int Keep { get; }

    /// <summary>Writes <paramref name="checkpoint"/> atomically, then deletes all but the newest <see cref="Keep"/>.</summary>
    /// <exception cref="StorageWriteException">The checkpoint could not be written (the previous ones are untouched).</exception>
    public CheckpointInfo Write(Checkpoint checkpoint);

    /// <summary>
    /// Returns the newest checkpoint that passes every check, falling back to older ones, together with every newer
    /// checkpoint that was rejected and why. <see cref="CheckpointLoadResult.Checkpoint"/> is null when there is none
    /// (the caller then replays the whole log).
    /// </summary>
    /// <param name="accept">
    /// The caller's own checks of a checkpoint whose bytes are intact (e.g. that its payload decodes): null to accept
    /// it, or the reason to reject it and fall back. It may throw to stop loading altogether.
    /// </param>
    public CheckpointLoadResult LoadNewest(Func<Checkpoint, string?>? accept = null);

    /// <summary>The checkpoints present, newest first, from their names and headers (payloads not verified).</summary>
    public IReadOnlyList<CheckpointInfo> List();
}
