using Registry.Core.Machine;
using Registry.Core.State;
using Registry.Store.Checkpoints;
using Registry.Store.Log;

namespace Registry.Store;

public sealed partial class RegistryStore
{
    private readonly Lock _servedLock = new();
    private (long Version, byte[] Snapshot)? _served;

    /// <summary>True while the store holds nothing: an empty log (so no checkpoint either) and the genesis state.</summary>
    public bool IsEmpty => _log.Durable.EntryCount == 0 && Recovered.Version == 0;

    /// <summary>
    /// Fills an empty store from a followed node's checkpoint (a replica's bootstrap; the caller checked everything,
    /// <see cref="CheckpointBootstrap"/>): appends records 1..V as <c>committed</c> events, durably, then writes
    /// <paramref name="state"/> (at V) as a checkpoint covering them, so that recovery loads it and replays only what
    /// is appended after it. Becomes <see cref="Recovered"/>.
    /// </summary>
    /// <param name="records">Records 1..V in canonical form, in order.</param>
    /// <param name="state">The state at V.</param>
    /// <param name="cancellationToken">Cancels before the checkpoint is written.</param>
    /// <returns>The checkpoint written.</returns>
    /// <exception cref="InvalidOperationException">The store is not empty, or the records are not 1..V.</exception>
    /// <exception cref="StorageWriteException">A write fault (the records may be durable without the checkpoint; the
    /// next start then replays them from genesis, recomputing every state root).</exception>
    public async Task<CheckpointInfo> InstallCheckpointAsync(IReadOnlyList<ReadOnlyMemory<byte>> records, RegistryState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(state);
        if (!IsEmpty)
        {
            throw new InvalidOperationException("A checkpoint is installed only into an empty store.");
        }

        if (records.Count != state.Version || state.Version < 1)
        {
            throw new InvalidOperationException($"Installing version {state.Version} needs records 1..{state.Version}, not {records.Count}.");
        }

        if (HaltReason is { } halted)
        {
            throw new StorageWriteException(StorageWriteFailure.Halted, "The store halted; restart the service to recover: " + halted);
        }

        // In batches, each durable before the next, so the log's buffers stay bounded on a long history.
        const int batch = 1024;
        for (var start = 0; start < records.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(records.Count, start + batch);
            var positions = new LogPosition[end - start];
            for (var i = start; i < end; i++)
            {
                positions[i - start] = _log.Append(EventCodec.EncodeCommitted(records[i].Span));
            }

            await _log.WaitForDurableAsync(positions[^1], cancellationToken).ConfigureAwait(false);
            for (var i = start; i < end; i++)
            {
                IndexCommit(i + 1, positions[i - start]);
            }
        }

        var durable = _log.Durable;
        var info = await Task.Run(() => WriteCheckpoint(state, durable), CancellationToken.None).ConfigureAwait(false);
        lock (_checkpointLock)
        {
            _published = (state, durable);
        }

        Recovered = state;
        return info;
    }

    /// <summary>
    /// The newest checkpoint's version and state snapshot (<see cref="StateSnapshotCodec"/> bytes of its state with
    /// commits only), or
    /// null when there is none. What a node serves to replicas that bootstrap from a checkpoint; kept in memory until
    /// a newer checkpoint is written.
    /// </summary>
    public (long Version, byte[] Snapshot)? NewestCheckpoint()
    {
        long? newest;
        lock (_checkpointLock)
        {
            newest = _lastCheckpoint?.Version;
        }

        if (newest is null)
        {
            return null;
        }

        lock (_servedLock)
        {
            if (_served is { } served && served.Version == newest)
            {
                return served;
            }
        }

        CheckpointLoadResult loaded;
        try
        {
            loaded = _checkpoints.LoadNewest();
        }
        catch (IOException)
        {
            // An older file deleted by a checkpoint written meanwhile: the newest is complete by now (written atomically).
            loaded = _checkpoints.LoadNewest();
        }

        if (loaded.Checkpoint is not { } checkpoint)
        {
            return null;
        }

        // Served with commits only (RegistryState.CommitsOnly): open proposals name their proposer's token id.
        var fresh = (checkpoint.RegistryVersion, StateSnapshotCodec.ToArray(StateSnapshotCodec.Read(checkpoint.ContiguousPayload.Span).CommitsOnly()));
        lock (_servedLock)
        {
            if (_served is not { } current || current.Version < fresh.RegistryVersion)
            {
                _served = fresh;
            }

            return _served;
        }
    }
}
