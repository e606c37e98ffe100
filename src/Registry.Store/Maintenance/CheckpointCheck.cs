namespace Registry.Store.Maintenance;

/// <summary>The outcome of checking one checkpoint file against the replayed chain.</summary>
/// <param name="Location">The file.</param>
/// <param name="Version">The registry version its header names (-1 when unreadable).</param>
/// <param name="Sequence">The log position its header names (-1 when unreadable).</param>
/// <param name="Problem">What is wrong, or null when it matches the chain.</param>
public sealed record CheckpointCheck(string Location, long Version, long Sequence, string? Problem)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Location} (version {Version}, log entry {Sequence}): {Problem ?? "matches the replayed chain"}";
}
