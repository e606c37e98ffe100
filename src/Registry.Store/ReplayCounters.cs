namespace Registry.Store;

/// <summary>What a replay verified. Not thread-safe; one per replay.</summary>
internal sealed class ReplayCounters
{
    public long Entries { get; set; }

    public long Events { get; set; }

    public long Commits { get; set; }

    public long Approvals { get; set; }
}
