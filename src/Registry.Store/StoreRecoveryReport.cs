using Registry.Store.Checkpoints;
using Registry.Store.Log;

namespace Registry.Store;

/// <summary>What opening a <see cref="RegistryStore"/> found and did; for the start-up log and <c>registry_recoveries_total</c>.</summary>
public sealed record StoreRecoveryReport
{
    /// <summary>What the log found (tail, torn tail cut, rejected commit records).</summary>
    public required LogRecoveryReport Log { get; init; }

    /// <summary>The checkpoint recovery started from, or null for a replay from genesis.</summary>
    public CheckpointInfo? Checkpoint { get; init; }

    /// <summary>Checkpoints that were newer but rejected, with the reason.</summary>
    public IReadOnlyList<RejectedCheckpoint> RejectedCheckpoints { get; init; } = [];

    /// <summary>Log entries replayed on top of the checkpoint (or genesis).</summary>
    public long EntriesReplayed { get; init; }

    /// <summary>Commits among them, each re-verified (link, digests, approvals, quorum, state root).</summary>
    public long CommitsVerified { get; init; }

    /// <summary>
    /// The checkpoint taken right after this recovery because it replayed at least
    /// <see cref="RegistryStoreOptions.CheckpointAfterReplayEntries"/> entries (or why it failed); null when none was due.
    /// </summary>
    public CheckpointResult? CheckpointAfterReplay { get; init; }

    /// <summary>The recovered HEAD version.</summary>
    public long Version { get; init; }

    /// <summary>How long recovery took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The kind for <c>registry_recoveries_total{kind}</c>: clean, checkpoint_fallback, full_replay, torn_tail.</summary>
    public string Kind =>
        Log.TornTail is not null ? "torn_tail"
        : RejectedCheckpoints.Count > 0 && Checkpoint is not null ? "checkpoint_fallback"
        : Checkpoint is null && EntriesReplayed > 0 ? "full_replay"
        : "clean";

    /// <inheritdoc />
    public override string ToString() =>
        $"recovered version {Version} ({Kind}) from {(Checkpoint is null ? "genesis" : Checkpoint.Location)} + {EntriesReplayed} entries "
        + $"({CommitsVerified} commits verified) in {Elapsed.TotalMilliseconds:0} ms; {Log}"
        + (CheckpointAfterReplay is { } taken ? "; " + taken : string.Empty)
        + string.Concat(RejectedCheckpoints.Select(r => $"; rejected checkpoint {r}"));
}
