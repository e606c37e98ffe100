using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;

namespace Registry.Api.Storage;

/// <summary>
/// What the service needs from durable storage: recover, append events durably (group commit), read
/// commit records back by version, and take checkpoints. Implemented by <see cref="RegistryStoreStorage"/> over
/// Registry.Store (its FasterLog log, or its in-memory log for <c>--amnesia</c>), and for high availability by
/// <see cref="HighAvailability.EtcdStorage"/> (the log of record in etcd, a verified local copy).
/// </summary>
public interface IRegistryStorage : IAsyncDisposable
{
    /// <summary>Where the data lives, for logs and <c>/readyz</c>.</summary>
    public string Description { get; }

    /// <summary>
    /// True while appends succeed; false after a write fault until the storage has recovered from it (it probes and
    /// re-opens by itself, so writes resume without a restart), and for good after <see cref="Halt"/>.
    /// </summary>
    public bool Writable { get; }

    /// <summary>
    /// Raised when writes stop (a write fault), when recovering from one fails for a new reason, when they resume,
    /// and when the storage halts. Raised on a storage thread; handlers must be quick and must not throw.
    /// </summary>
    public event EventHandler<StorageWritabilityChangedEventArgs>? WritabilityChanged;

    /// <summary>
    /// Stops all appends until a restart (<see cref="Writable"/> false, appends throw
    /// <see cref="StorageUnavailableException"/>): the writer calls it when something failed after its events became
    /// durable, so its state may no longer match the log; the next start's recovery replays and verifies the log.
    /// </summary>
    public void Halt(string reason);

    /// <summary>Seconds since the last checkpoint (0 when none is kept, e.g. in memory).</summary>
    public double CheckpointAgeSeconds { get; }

    /// <summary>Checkpoint writes that failed since opening (<c>registry_checkpoint_failures_total</c>).</summary>
    public long CheckpointFailures { get; }

    /// <summary>How the last <see cref="OpenAsync"/> recovered (fresh, checkpoint, replay, torn_tail, checkpoint_fallback): the <c>registry_recoveries_total</c> label.</summary>
    public string RecoveryKind { get; }

    /// <summary>Recovers: newest valid checkpoint, verified replay of the log. Throws if the data cannot be trusted.</summary>
    public Task<RegistryState> OpenAsync(GenesisRecord genesis, CancellationToken cancellationToken);

    /// <summary>
    /// Appends events; completes only when they are durable. Throws <see cref="StorageUnavailableException"/> on a write
    /// fault, and <see cref="ArgumentException"/> for an event too large to store; in both cases nothing of the call
    /// was written.
    /// </summary>
    public ValueTask AppendAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Stores events another node appended to the shared log (HA on etcd: the tailer's, verified by the write plane)
    /// in this node's own copy only; completes when they are durable there. Without a shared log, as <see cref="AppendAsync"/>.
    /// </summary>
    public ValueTask AppendFollowedAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken);

    /// <summary>Events in the durable log: the sequence the next appended event gets.</summary>
    public long EventCount { get; }

    /// <summary>The largest encoded event the storage can take (<see cref="int.MaxValue"/>: bounded only by the request limits).</summary>
    public int MaxEventBytes { get; }

    /// <summary>Called by the writer after each published state (checkpoint policy runs off the writer's path).</summary>
    public void OnPublished(RegistryState state);

    /// <summary>Commit records <paramref name="fromVersion"/>..<paramref name="toVersion"/> (inclusive, 1-based), in order.</summary>
    public IAsyncEnumerable<CommitRecord> ReadCommitsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken);

    /// <summary>
    /// The same commits as canonical <c>committed</c> event bytes (<see cref="Core.Machine.EventCodec"/>), not decoded:
    /// the stream's replay re-frames them without parsing every proposal.
    /// </summary>
    public IAsyncEnumerable<ReadOnlyMemory<byte>> ReadCommitPayloadsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken);
}
