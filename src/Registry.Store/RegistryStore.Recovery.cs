using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store.Checkpoints;
using Registry.Store.Log;

namespace Registry.Store;

public sealed partial class RegistryStore
{
    private async Task RecoverAsync(GenesisRecord genesis, CancellationToken cancellationToken)
    {
        var started = _options.Time.GetTimestamp();
        var logTail = _log.Durable;
        RegistryState? fromCheckpoint = null;
        var loaded = await Task.Run(() => _checkpoints.LoadNewest(c => Accept(c, genesis, logTail, out fromCheckpoint)), cancellationToken)
            .ConfigureAwait(false);

        if (loaded.Checkpoint is null && loaded.Rejected.Count > 0 && logTail.EntryCount == 0)
        {
            var first = loaded.Rejected[0];
            throw new CorruptStoreException(first.Location, first.Offset,
                $"every checkpoint is damaged ({first.Reason}) and the log is empty; refusing to open as an empty registry");
        }

        var state = fromCheckpoint ?? RegistryState.FromGenesis(genesis);
        var from = loaded.Checkpoint?.Next ?? LogPosition.Origin;
        var counters = new ReplayCounters();
        foreach (var item in EventReplayer.Read(_log, from, state.SignerSet, approvalEvents: false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = state.Version;
            state = EventReplayer.Apply(state, item, _log, counters, verifyApprovalSignatures: false);
            counters.Entries++;
            if (state.Version != before)
            {
                IndexCommit(state.Version, item.Item.Position);
            }
        }

        Recovered = state;
        InitializeCheckpointing(state, loaded.Checkpoint);
        var replayCheckpoint = await CheckpointAfterReplayAsync(state, counters.Entries).ConfigureAwait(false);
        Recovery = new StoreRecoveryReport
        {
            CheckpointAfterReplay = replayCheckpoint,
            Log = _log.Recovery,
            Checkpoint = loaded.Info,
            RejectedCheckpoints = loaded.Rejected,
            EntriesReplayed = counters.Entries,
            CommitsVerified = counters.Commits,
            Version = state.Version,
            Elapsed = _options.Time.GetElapsedTime(started),
        };
    }

    /// <summary>
    /// After a long replay, a checkpoint of the recovered state before the store is handed out, so the next start
    /// replays only what is written from here on: a process that keeps crashing before the checkpoint interval would
    /// otherwise replay from the same old checkpoint (or genesis) every time, longer on every start.
    /// </summary>
    /// <remarks>
    /// Written before open returns, not in the background: a crash right after start must not lose it, or the crash
    /// loop it exists for would never end. A failure is counted (<see cref="CheckpointFailures"/>) and the open goes on.
    /// </remarks>
    private async Task<CheckpointResult?> CheckpointAfterReplayAsync(RegistryState state, long replayed)
    {
        if (_directory is null || replayed < _options.CheckpointAfterReplayEntries)
        {
            return null;
        }

        var durable = _log.Durable;
        try
        {
            var info = await Task.Run(() => WriteCheckpoint(state, durable)).ConfigureAwait(false);
            return new CheckpointResult(info, null);
        }
        catch (StorageWriteException ex)
        {
            return new CheckpointResult(null, ex.Message);
        }
    }

    /// <summary>
    /// The store's checks of an intact checkpoint: its state decodes (Registry.Core re-derives the state root and
    /// checks it against the signed head), belongs to this registry, and lies within the log.
    /// </summary>
    private static string? Accept(Checkpoint checkpoint, GenesisRecord genesis, DurablePosition logTail, out RegistryState? state)
    {
        state = null;
        RegistryState decoded;
        try
        {
            decoded = StateSnapshotCodec.Read(checkpoint.ContiguousPayload.Span);
        }
        catch (FormatException ex)
        {
            return $"the state snapshot does not decode: {ex.Message}";
        }

        if (decoded.Genesis.Hash != genesis.Hash)
        {
            throw new CorruptStoreException("checkpoint", 0,
                $"a checkpoint belongs to registry '{decoded.RegistryId}' with genesis {decoded.Genesis.Hash}, not '{genesis.Registry}' with {genesis.Hash}: wrong data directory or trust roots");
        }

        if (decoded.Version != checkpoint.RegistryVersion)
        {
            return $"the header says version {checkpoint.RegistryVersion}, the state is at {decoded.Version}";
        }

        if (checkpoint.Next.Sequence > logTail.EntryCount || checkpoint.Next.Address > logTail.Address)
        {
            // The checkpoint was taken from durable entries the log no longer has: acknowledged data was lost.
            throw new CorruptStoreException("checkpoint", checkpoint.Next.Address,
                $"a checkpoint at version {checkpoint.RegistryVersion} covers {checkpoint.Next.Sequence} log entries (to address {checkpoint.Next.Address}), "
                + $"but the log holds only {logTail.EntryCount} (to {logTail.Address}): the log lost durable entries");
        }

        state = decoded;
        return null;
    }
}
