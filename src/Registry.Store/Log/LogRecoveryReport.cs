namespace Registry.Store.Log;

/// <summary>What an <see cref="IEventLog"/> found when it was opened.</summary>
/// <remarks>Immutable; returned by <see cref="IEventLog.Recovery"/>.</remarks>
public sealed record LogRecoveryReport
{
    /// <summary>The durable tail right after opening (after any cut).</summary>
    public required DurablePosition Tail { get; init; }

    /// <summary>Whether the log held data when opened (false for a new or in-memory log).</summary>
    public required bool Existed { get; init; }

    /// <summary>The torn tail that was cut, or null when the committed log was intact to its end.</summary>
    public TornTail? TornTail { get; init; }

    /// <summary>
    /// Damage inside the committed log, found by a verification open (<see cref="FasterEventLogOptions.ReadPrefixBeforeDamage"/>):
    /// the log was opened up to the last valid entry before it. Null otherwise: a normal open throws instead.
    /// </summary>
    public CorruptStoreException? InsideDamage { get; init; }

    /// <summary>Commit-record slots that were rejected while opening, with the reason for each.</summary>
    public IReadOnlyList<string> RejectedCommitRecords { get; init; } = [];

    /// <summary>A one-line summary for the start-up log.</summary>
    public override string ToString() =>
        $"log tail {Tail}" + (TornTail is null ? ", no torn tail" : $", {TornTail}")
        + (InsideDamage is null ? string.Empty : $", damaged inside: {InsideDamage.Message}")
        + (RejectedCommitRecords.Count == 0 ? string.Empty : $", {RejectedCommitRecords.Count} commit record(s) rejected");
}
