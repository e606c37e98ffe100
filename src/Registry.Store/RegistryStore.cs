using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store.Checkpoints;
using Registry.Store.Log;

namespace Registry.Store;

/// <summary>
/// The registry's storage: a durable event log (FasterLog) plus checkpoints, recovered and verified on open. What the
/// service's write plane appends through and recovers from; the only storage type the service sees.
/// </summary>
/// <remarks>
/// <para>
/// Open: newest valid checkpoint (falling back to older ones, then to genesis), replay of the log after it with
/// every commit re-verified, cross-checks between the two; a damaged or inconsistent directory throws
/// <see cref="CorruptStoreException"/> naming the file and position, and a directory with data never opens empty.
/// </para>
/// <para>
/// Writing: <see cref="AppendAsync"/> completes only when the events are durable (group commit across callers);
/// a write fault throws <see cref="StorageWriteException"/> and nothing of that call is durable; writes resume by
/// themselves once the fault clears. The caller applies events to its state only after the append completes, and
/// hands each published state to <see cref="OnPublished"/>, which takes checkpoints off the caller's path.
/// </para>
/// <para>Thread-safe. <see cref="OnPublished"/> assumes one writer (the service's serialized write plane).</para>
/// </remarks>
public sealed partial class RegistryStore : IAsyncDisposable
{
    private readonly RegistryStoreOptions _options;
    private readonly IEventLog _log;
    private readonly ICheckpointStore _checkpoints;
    private readonly IDisposable? _lock;
    private readonly DataDirectory? _directory;
    private string? _haltReason;

    private RegistryStore(RegistryStoreOptions options, IEventLog log, ICheckpointStore checkpoints, IDisposable? directoryLock, DataDirectory? directory)
    {
        _options = options;
        _log = log;
        _checkpoints = checkpoints;
        _lock = directoryLock;
        _directory = directory;
        if (log is FasterEventLog faster)
        {
            faster.WritabilityChanged += (_, change) => WritabilityChanged?.Invoke(this, change);
        }

        Recovered = null!;
        Recovery = null!;
    }

    /// <summary>The state recovered on open (the caller's starting state).</summary>
    public RegistryState Recovered { get; private set; }

    /// <summary>What recovery found and did.</summary>
    public StoreRecoveryReport Recovery { get; private set; }

    /// <summary>Where the data lives, for logs and <c>/readyz</c>.</summary>
    public string Description => _directory is null ? "memory (amnesia)" : $"FasterLog in {_directory.Path}";

    /// <summary>
    /// False after a write fault until the log has recovered from it (write readiness), and for good once the store
    /// halted (<see cref="HaltReason"/>).
    /// </summary>
    public bool Writable => HaltReason is null && (_log is not FasterEventLog faster || !faster.IsFaulted);

    /// <summary>
    /// Why the store stopped writing until a restart, or null: something failed after events became durable, or the
    /// log found itself inconsistent when re-opening after a fault. Reads of the durable data continue.
    /// </summary>
    public string? HaltReason => Volatile.Read(ref _haltReason) ?? (_log as FasterEventLog)?.HaltReason;

    /// <summary>
    /// Raised when writes stop (a write fault), when recovering from one fails for a new reason, when writes resume,
    /// and when the store halts. Raised on the thread that saw the change; handlers must be quick and must not throw.
    /// </summary>
    public event EventHandler<StorageWritabilityChangedEventArgs>? WritabilityChanged;

    /// <summary>The durable end of the log.</summary>
    public DurablePosition Durable => _log.Durable;

    /// <summary>Counters of the underlying log (appends, flushes, faults).</summary>
    public EventLogStatistics LogStatistics => _log.Statistics;

    /// <summary>
    /// Opens the store: in memory for amnesia, else the data directory (created when new), recovering and verifying.
    /// </summary>
    /// <param name="options">Settings.</param>
    /// <param name="genesis">The registry's genesis (trust roots); a directory holding another registry is refused.</param>
    /// <param name="cancellationToken">Cancels recovery.</param>
    /// <exception cref="CorruptStoreException">The data cannot be trusted; the message names the file and position.</exception>
    public static async Task<RegistryStore> OpenAsync(RegistryStoreOptions options, GenesisRecord genesis, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(genesis);
        options.Validate();
        if (options.Amnesia)
        {
            var memory = new RegistryStore(options, new InMemoryEventLog(options.Faults), new InMemoryCheckpointStore(options.CheckpointsKept), null, null);
            await memory.RecoverAsync(genesis, cancellationToken).ConfigureAwait(false);
            return memory;
        }

        var directory = new DataDirectory(options.DataDirectory!);
        var directoryLock = directory.Lock();
        FasterEventLog? log = null;
        try
        {
            var checkpoints = new FileCheckpointStore(directory.CheckpointDirectory, options.CheckpointsKept);
            if (!Directory.Exists(directory.LogDirectory) && checkpoints.List().Count > 0)
            {
                throw new CorruptStoreException(directory.LogDirectory, 0, "the log directory is missing but checkpoints exist; refusing to open as an empty registry");
            }

            log = await FasterEventLog.OpenAsync(
                new FasterEventLogOptions
                {
                    Directory = directory.LogDirectory,
                    Faults = options.Faults,
                    PageSizeBits = options.LogPageSizeBits,
                    FaultRetryInterval = options.WriteFaultRetryInterval,
                    Time = options.Time,
                },
                cancellationToken).ConfigureAwait(false);
            var store = new RegistryStore(options, log, checkpoints, directoryLock, directory);
            await store.RecoverAsync(genesis, cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (Exception)
        {
            if (log is not null)
            {
                await log.DisposeAsync().ConfigureAwait(false);
            }

            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends <paramref name="events"/> in order and completes when all of them are durable.
    /// </summary>
    /// <returns>The durable position after the last event (an empty list returns the current one).</returns>
    /// <exception cref="StorageWriteException">A write fault: none of the events is acknowledged.</exception>
    /// <exception cref="ArgumentException">An event is larger than the log takes; nothing was written.</exception>
    /// <remarks>
    /// Every event is encoded and sized before the first is written, so a refused event never leaves the ones before
    /// it in the log to ride the next flush. Anything that goes wrong once the events are durable halts the store
    /// (<see cref="HaltReason"/>) rather than let the caller's state and the log drift apart.
    /// </remarks>
    public async ValueTask<DurablePosition> AppendAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (HaltReason is { } halted)
        {
            throw new StorageWriteException(StorageWriteFailure.Halted, "The store halted; restart the service to recover: " + halted);
        }

        if (events.Count == 0)
        {
            return _log.Durable;
        }

        var payloads = new byte[events.Count][];
        for (var i = 0; i < events.Count; i++)
        {
            payloads[i] = EventCodec.Encode(events[i]);
            if (payloads[i].Length > _log.MaxPayloadSize)
            {
                throw new ArgumentException($"Event {i} ({events[i].GetType().Name}) encodes to {payloads[i].Length} bytes; the log takes at most {_log.MaxPayloadSize}.", nameof(events));
            }
        }

        var positions = new LogPosition[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            positions[i] = _log.Append(payloads[i]);
        }

        var durable = await _log.WaitForDurableAsync(positions[^1], cancellationToken).ConfigureAwait(false);
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i] is Committed committed)
                {
                    IndexCommit(committed.Record.Version, positions[i]);
                }
            }
        }
        catch (InvalidOperationException ex)
        {
            throw Halt($"the events are durable but indexing them failed: {ex.Message}", ex);
        }

        return durable;
    }

    /// <summary>
    /// Stops all writes until a restart, after something failed past the point where events became durable: the
    /// caller's state may no longer match the log, and only recovery (replay and verification) may settle it.
    /// </summary>
    /// <param name="reason">What went wrong, for the operator.</param>
    /// <param name="cause">The failure, if any.</param>
    /// <returns>The exception to throw to the caller at hand.</returns>
    public StorageWriteException Halt(string reason, Exception? cause = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (Interlocked.CompareExchange(ref _haltReason, reason, null) is null)
        {
            WritabilityChanged?.Invoke(this, new StorageWritabilityChangedEventArgs(writable: false, halted: true, "storage: halted, writes stop until a restart: " + reason));
        }

        return new StorageWriteException(StorageWriteFailure.Halted, "The store halted; restart the service to recover: " + reason, cause);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopCheckpointsAsync().ConfigureAwait(false);
        await _log.DisposeAsync().ConfigureAwait(false);
        _lock?.Dispose();
    }
}
