using System.Runtime.CompilerServices;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;

namespace Registry.Api.Storage;

/// <summary><c>--amnesia</c>: events live in memory only; nothing is written to any file.</summary>
public sealed class MemoryRegistryStorage : IRegistryStorage, IStorageFaults
{
    private readonly List<CommitRecord> _commits = [];
    private readonly Lock _lock = new();
    private long _latencyTicks;
    private string? _haltReason;

    /// <inheritdoc />
    public TimeSpan AppendLatency => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));

    /// <inheritdoc />
    public string Description => "memory (amnesia)";

    /// <inheritdoc />
    public bool Writable => Volatile.Read(ref _haltReason) is null;

    /// <inheritdoc />
    public event EventHandler<StorageWritabilityChangedEventArgs>? WritabilityChanged;

    /// <inheritdoc />
    public void Halt(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (Interlocked.CompareExchange(ref _haltReason, reason, null) is null)
        {
            WritabilityChanged?.Invoke(this, new StorageWritabilityChangedEventArgs(writable: false, halted: true, "storage: halted, writes stop until a restart: " + reason));
        }
    }

    /// <inheritdoc />
    public double CheckpointAgeSeconds => 0;

    /// <inheritdoc />
    public string RecoveryKind => "fresh";

    /// <inheritdoc />
    public long CheckpointFailures => 0;

    /// <inheritdoc />
    public Task<RegistryState> OpenAsync(GenesisRecord genesis, CancellationToken cancellationToken) =>
        Task.FromResult(RegistryState.FromGenesis(genesis));

    /// <inheritdoc />
    public async ValueTask AppendAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _haltReason) is { } halted)
        {
            throw new StorageUnavailableException("The storage halted; restart the service: " + halted);
        }

        if (AppendLatency > TimeSpan.Zero)
        {
            await Task.Delay(AppendLatency, cancellationToken);
        }

        lock (_lock)
        {
            foreach (var @event in events)
            {
                if (@event is Committed committed)
                {
                    _commits.Add(committed.Record);
                }
            }
        }
    }

    /// <inheritdoc />
    public void InjectLatency(TimeSpan latency) => Interlocked.Exchange(ref _latencyTicks, latency.Ticks);

    /// <inheritdoc />
    public void Clear() => Interlocked.Exchange(ref _latencyTicks, 0);

    /// <inheritdoc />
    public void OnPublished(RegistryState state)
    {
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<CommitRecord> ReadCommitsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        for (var v = Math.Max(1, fromVersion); v <= toVersion; v++)
        {
            CommitRecord record;
            lock (_lock)
            {
                if (v > _commits.Count)
                {
                    yield break;
                }

                record = _commits[(int)(v - 1)];
            }

            yield return record;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadCommitPayloadsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var record in ReadCommitsAsync(fromVersion, toVersion, cancellationToken))
        {
            yield return EventCodec.Encode(new Committed(record));
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
