namespace Registry.Store.Checkpoints;

/// <summary>The outcome of <see cref="ICheckpointStore.LoadNewest"/>.</summary>
/// <param name="Checkpoint">The newest valid checkpoint, or null when there is none.</param>
/// <param name="Info">Where it came from, or null.</param>
/// <param name="Rejected">Every newer checkpoint that failed a check, newest first, with the reason.</param>
public sealed record CheckpointLoadResult(Checkpoint? Checkpoint, CheckpointInfo? Info, IReadOnlyList<RejectedCheckpoint> Rejected);
