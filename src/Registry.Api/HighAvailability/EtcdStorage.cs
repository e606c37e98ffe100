using Registry.Api.Storage;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;
using Registry.Store.Etcd;

namespace Registry.Api.HighAvailability;

/// <summary>
/// <c>storage.backend = "etcd"</c> (SPEC §5, §9; docs/HA.md): the event log of record is in etcd, and this node's
/// local store (FasterLog and checkpoints, <see cref="Local"/>) is its verified copy, a prefix of the etcd log event for
/// event (the local sequence of an event is its etcd sequence). Recovery, reads, checkpoints and backups are the local
/// store's. The writer's appends go to etcd first, as one fenced create-if-absent transaction per batch, and only once
/// etcd has committed them to the local copy; a batch is acknowledged after both. Followed events (the tailer's) go to the
/// local copy only.
/// </summary>
/// <remarks>
/// Failure rules: not the writer, or etcd refused the batch (fenced: the lease is gone), or nothing answered before this
/// node's lease ran out: <see cref="StorageUnavailableException"/>, nothing durable anywhere. An append whose outcome
/// etcd has not told is retried until it does (the compares make that safe), so "unknown" is never reported as "not
/// written". Committed to etcd but the local copy failed: an <see cref="IOException"/>, which halts the write plane
/// (fail closed; a restart recovers the local copy and tails etcd again). Thread-safe as the write plane uses it (one
/// appender).
/// </remarks>
public sealed class EtcdStorage(RegistryStoreStorage local, EtcdEventLog log, EtcdNodeStatus status) : IRegistryStorage
{
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(200);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The local verified copy.</summary>
    public RegistryStoreStorage Local { get; } = local;

    /// <summary>The etcd log.</summary>
    public EtcdEventLog Log { get; } = log;

    /// <summary>The node's view of the cluster.</summary>
    public EtcdNodeStatus Status { get; } = status;

    /// <inheritdoc />
    public string Description => $"etcd {Log.Keys.LogPrefix} (local copy: {Local.Description})";

    /// <inheritdoc />
    public bool Writable => Local.Writable && Status.TryGetWriterRevision(out _);

    /// <inheritdoc />
    public long EventCount => Local.EventCount;

    /// <inheritdoc />
    public int MaxEventBytes => Log.MaxEventBytes;

    /// <inheritdoc />
    public event EventHandler<StorageWritabilityChangedEventArgs>? WritabilityChanged
    {
        add => Local.WritabilityChanged += value;
        remove => Local.WritabilityChanged -= value;
    }

    /// <inheritdoc />
    public double CheckpointAgeSeconds => Local.CheckpointAgeSeconds;

    /// <inheritdoc />
    public long CheckpointFailures => Local.CheckpointFailures;

    /// <inheritdoc />
    public string RecoveryKind => Local.RecoveryKind;

    /// <inheritdoc />
    public void Halt(string reason)
    {
        Status.Halt(reason);
        Local.Halt(reason);
    }

    /// <inheritdoc />
    public Task<RegistryState> OpenAsync(GenesisRecord genesis, CancellationToken cancellationToken) => Local.OpenAsync(genesis, cancellationToken);

    /// <inheritdoc />
    public async ValueTask AppendAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        if (!Status.TryGetWriterRevision(out var revision))
        {
            throw new StorageUnavailableException($"this node is not the writer (writer: {Status.WriterUrl ?? "none elected"}; {Status.Problem ?? "etcd reachable"})");
        }

        var payloads = new ReadOnlyMemory<byte>[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            payloads[i] = EventCodec.Encode(events[i]);
            if (payloads[i].Length > Log.MaxEventBytes)
            {
                throw new ArgumentException($"Event {i} ({events[i].GetType().Name}) encodes to {payloads[i].Length} bytes; one etcd request takes at most {Log.MaxEventBytes} for it.", nameof(events));
            }
        }

        var first = Local.EventCount;
        var chunks = Chunks(payloads);
        for (var c = 0; c < chunks.Count; c++)
        {
            var (offset, count) = chunks[c];
            var result = await AppendUntilToldAsync(revision, first + offset, payloads.AsMemory(offset, count).ToArray(), cancellationToken);
            if (result != EtcdAppendResult.Committed)
            {
                var reason = result == EtcdAppendResult.NotWriter
                    ? "the fencing compare failed: this node's writer key is gone (its lease expired or another node was elected)"
                    : $"the etcd log already holds event {first + offset}: this node was behind";
                Status.Follow(null);
                if (c == 0)
                {
                    throw new StorageUnavailableException("etcd refused the append, nothing was written: " + reason);
                }

                // Earlier parts of this batch are in etcd: the write plane must not think the batch absent.
                throw new IOException($"etcd took the first {offset} events of a batch and refused the rest ({reason}); the write plane stops, and a restart follows the etcd log");
            }
        }

        try
        {
            await Local.AppendAsync(events, cancellationToken);
        }
        catch (StorageUnavailableException ex)
        {
            throw new IOException("the batch is committed in etcd but the local copy failed to store it: " + ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public ValueTask AppendFollowedAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken) => Local.AppendAsync(events, cancellationToken);

    /// <inheritdoc />
    public void OnPublished(RegistryState state) => Local.OnPublished(state);

    /// <inheritdoc />
    public IAsyncEnumerable<CommitRecord> ReadCommitsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken) =>
        Local.ReadCommitsAsync(fromVersion, toVersion, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ReadOnlyMemory<byte>> ReadCommitPayloadsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken) =>
        Local.ReadCommitPayloadsAsync(fromVersion, toVersion, cancellationToken);

    /// <summary>Ends any append still waiting for etcd's answer (the host is stopping).</summary>
    public void StopWaiting() => _stopping.Cancel();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await Local.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>
    /// One transaction, retried while no member answers: until etcd says committed or refused. A node whose lease ran
    /// out meanwhile gets "refused" from the fencing compare once etcd answers, so the retry ends with etcd's word.
    /// </summary>
    private async Task<EtcdAppendResult> AppendUntilToldAsync(long revision, long sequence, ReadOnlyMemory<byte>[] payloads, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var result = await Log.AppendAsync(revision, sequence, payloads, cancellationToken);
                Status.Reachable();
                return result;
            }
            catch (EtcdUnavailableException ex) when (!_stopping.IsCancellationRequested)
            {
                // Shutting down ends the wait (OperationCanceledException): the write plane then stops as for any
                // append whose outcome is unknown, and the next start follows the etcd log.
                Status.Unreachable("etcd: " + ex.Message);
                await Task.Delay(s_retryDelay, _stopping.Token);
            }
        }
    }

    /// <summary>
    /// The batch as etcd requests: one, unless the events together exceed etcd's request limit (a batch of 512 large
    /// events); each part is its own transaction, in order.
    /// </summary>
    private List<(int Offset, int Count)> Chunks(ReadOnlyMemory<byte>[] payloads)
    {
        var chunks = new List<(int, int)>();
        var budget = Log.MaxRequestBytes - 512;
        var (start, size) = (0, 0);
        for (var i = 0; i < payloads.Length; i++)
        {
            var cost = payloads[i].Length + Log.Keys.OverheadPerEvent;
            if (i > start && size + cost > budget)
            {
                chunks.Add((start, i - start));
                (start, size) = (i, 0);
            }

            size += cost;
        }

        chunks.Add((start, payloads.Length - start));
        return chunks;
    }
}
