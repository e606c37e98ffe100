using Registry.Store.Log;

namespace Registry.Store.Checkpoints;

/// <summary>Where a checkpoint is kept and what it covers, without its payload.</summary>
/// <param name="Location">The file path (or, in memory, a name).</param>
/// <param name="RegistryVersion">The registry version of the state.</param>
/// <param name="Next">The first log entry after the state.</param>
/// <param name="CreatedAt">When it was taken.</param>
/// <param name="Size">Bytes on disk (header and payload).</param>
public sealed record CheckpointInfo(string Location, long RegistryVersion, LogPosition Next, DateTimeOffset CreatedAt, long Size);
