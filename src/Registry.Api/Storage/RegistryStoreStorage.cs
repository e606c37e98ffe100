using Registry.Configuration;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;
using Registry.Store.Faults;

namespace Registry.Api.Storage;

/// <summary>
/// The service's storage: Registry.Store's <see cref="RegistryStore"/> — the FasterLog event log, checkpoints and
/// verified recovery in the data directory, or with <c>--amnesia</c> the store's own in-memory log and checkpoints
/// (nothing written anywhere) through the same code path — with a fault injector for chaos drills.
/// </summary>
public sealed class RegistryStoreStorage : IRegistryStorage, IStorageFaults
{
    private readonly StorageFaultInjector _faults = new();
    private readonly RegistryStoreOptions _options;
    private RegistryStore? _store;

    /// <summary>Creates the storage for <paramref name="dataDir"/>, or in memory when <paramref name="amnesia"/> (opened by <see cref="OpenAsync"/>).</summary>
    public RegistryStoreStorage(bool amnesia, string dataDir, StorageOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = new RegistryStoreOptions
        {
            Amnesia = amnesia,
            DataDirectory = dataDir,
            CheckpointInterval = TimeSpan.FromSeconds(options.CheckpointIntervalSeconds),
            CheckpointEveryCommits = options.CheckpointEveryCommits,
            CheckpointsKept = options.CheckpointsKept,
            CheckpointAfterReplayEntries = options.CheckpointAfterReplayEntries,
            Time = time,
            Faults = _faults,
        };
    }

    /// <inheritdoc />
    public string Description => _store?.Description ?? (Amnesia ? "memory (amnesia)" : $"FasterLog in {_options.DataDirectory}");

    /// <summary>True with <c>--amnesia</c>: nothing is persisted, so there is nothing to back up.</summary>
    public bool Amnesia => _options.Amnesia;

    /// <inheritdoc />
    public bool Writable => _store?.Writable ?? false;

    /// <inheritdoc />
    public event EventHandler<StorageWritabilityChangedEventArgs>? WritabilityChanged;

    /// <inheritdoc />
    public void Halt(string reason) => _ = (_store ?? throw new InvalidOperationException("The storage is not open.")).Halt(reason);

    /// <inheritdoc />
    public double CheckpointAgeSeconds => _store?.CheckpointAgeSeconds ?? 0;

    /// <inheritdoc />
    public long CheckpointFailures => _store?.CheckpointFailures ?? 0;

    /// <inheritdoc />
    /// <remarks>Amnesia always starts empty: <c>fresh</c>, as RUNBOOK.md's metric table says.</remarks>
    public string RecoveryKind => Amnesia ? "fresh" : _store?.Recovery.Kind ?? "fresh";

    /// <summary>What recovery found and did, for the start-up log.</summary>
    public StoreRecoveryReport? Recovery => _store?.Recovery;

    /// <inheritdoc />
    public TimeSpan AppendLatency => _faults.WriteLatency;

    /// <summary>The store's fault injector (tests fail writes with it; chaos drills only delay them).</summary>
    internal StorageFaultInjector Faults => _faults;

    /// <inheritdoc />
    public async Task<RegistryState> OpenAsync(GenesisRecord genesis, CancellationToken cancellationToken)
    {
        _store = await RegistryStore.OpenAsync(_options, genesis, cancellationToken);
        _store.WritabilityChanged += (_, change) => WritabilityChanged?.Invoke(this, change);
        return _store.Recovered;
    }

    /// <inheritdoc />
    public async ValueTask AppendAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            await _store!.AppendAsync(events, cancellationToken);
        }
        catch (StorageWriteException ex)
        {
            throw new StorageUnavailableException(ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public ValueTask AppendFollowedAsync(IReadOnlyList<RegistryEvent> events, CancellationToken cancellationToken) => AppendAsync(events, cancellationToken);

    /// <inheritdoc />
    public long EventCount => _store?.Durable.EntryCount ?? 0;

    /// <inheritdoc />
    /// <remarks>The log's own bound is checked when appending; the request limits keep events far below it.</remarks>
    public int MaxEventBytes => int.MaxValue;

    /// <inheritdoc />
    public void OnPublished(RegistryState state) => _store!.OnPublished(state);

    /// <inheritdoc />
    public IAsyncEnumerable<CommitRecord> ReadCommitsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken) =>
        _store!.ReadCommitsAsync(fromVersion, toVersion, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ReadOnlyMemory<byte>> ReadCommitPayloadsAsync(long fromVersion, long toVersion, CancellationToken cancellationToken) =>
        _store!.ReadCommitPayloadsAsync(fromVersion, toVersion, cancellationToken);

    /// <summary>True while the store holds nothing (a replica's bootstrap from a checkpoint applies).</summary>
    public bool IsEmpty => _store?.IsEmpty ?? false;

    /// <summary>The newest checkpoint's version and snapshot bytes, or null (none yet, or not open).</summary>
    public (long Version, byte[] Snapshot)? NewestCheckpoint() => _store?.NewestCheckpoint();

    /// <summary>Fills the empty store from a checked checkpoint: records 1..V, then the state at V as a checkpoint.</summary>
    public Task InstallCheckpointAsync(IReadOnlyList<ReadOnlyMemory<byte>> records, RegistryState state, CancellationToken cancellationToken) =>
        _store!.InstallCheckpointAsync(records, state, cancellationToken);

    /// <summary>A consistent hot copy (not in amnesia mode) (checkpoint plus log) into <paramref name="destination"/> while writes continue.</summary>
    public Task<BackupReport> BackupAsync(string destination, CancellationToken cancellationToken) =>
        _store!.BackupAsync(destination, cancellationToken);

    /// <inheritdoc />
    public void InjectLatency(TimeSpan latency) => _faults.DelayWrites(latency);

    /// <inheritdoc />
    public void Clear() => _faults.Clear();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }
}
