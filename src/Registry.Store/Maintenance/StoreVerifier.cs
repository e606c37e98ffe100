using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store.Checkpoints;
using Registry.Store.Log;

namespace Registry.Store.Maintenance;

/// <summary>
/// Offline verification of a whole data directory (<c>ronctl verify</c>): every log entry's checksums and sequence,
/// every event replayed from genesis with every commit re-verified (link, digests, each approval signature, quorum,
/// data model, state root) and every approval signature checked, and every checkpoint compared with the chain.
/// Changes nothing on disk; holds the directory's lock while it runs.
/// </summary>
public static class StoreVerifier
{
    /// <summary>Verifies <paramref name="dataDirectory"/> against the registry's <paramref name="genesis"/>.</summary>
    /// <exception cref="IOException">The directory is in use by a running store.</exception>
    public static async Task<VerificationReport> VerifyAsync(string dataDirectory, GenesisRecord genesis, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        var directory = new DataDirectory(dataDirectory);
        using var directoryLock = directory.Lock();
        var problems = new List<string>();
        var checkpointFiles = new FileCheckpointStore(directory.CheckpointDirectory, 1).Paths();
        var wanted = new Dictionary<long, List<(string Path, Checkpoint Checkpoint)>>();
        var checks = new List<CheckpointCheck>();
        foreach (var path in checkpointFiles)
        {
            if (FileCheckpointStore.Load(path, out var checkpoint, out var offset) is { } cause)
            {
                checks.Add(new CheckpointCheck(path, -1, -1, $"damaged at offset {offset}: {cause}"));
                continue;
            }

            wanted.TryAdd(checkpoint!.Next.Sequence, []);
            wanted[checkpoint.Next.Sequence].Add((path, checkpoint));
        }

        var state = RegistryState.FromGenesis(genesis);
        var counters = new ReplayCounters();
        TornTail? torn = null;
        if (!Directory.Exists(directory.LogDirectory))
        {
            problems.Add($"{directory.LogDirectory}: the log directory is missing");
        }
        else
        {
            try
            {
                await using var log = await FasterEventLog.OpenAsync(
                    new FasterEventLogOptions { Directory = directory.LogDirectory, ReadOnly = true, ReadPrefixBeforeDamage = true, MinThreadPoolWorkers = 0 }, cancellationToken).ConfigureAwait(false);
                torn = log.Recovery.TornTail;
                if (torn is not null)
                {
                    problems.Add($"torn log tail: {torn}");
                }

                problems.AddRange(log.Recovery.RejectedCommitRecords.Select(r => $"rejected commit record: {r}"));

                // Damage inside the log: the entries before it are still replayed and verified, so the report says
                // exactly how far the chain holds.
                if (log.Recovery.InsideDamage is { } damage)
                {
                    problems.Add(damage.Message);
                }

                CheckAt(0, state, wanted, checks);
                foreach (var item in EventReplayer.Read(log, LogPosition.Origin, state.SignerSet, approvalEvents: true))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    state = EventReplayer.Apply(state, item, log, counters, verifyApprovalSignatures: true);
                    counters.Entries++;
                    CheckAt(item.Item.Position.Sequence + 1, state, wanted, checks);
                }
            }
            catch (CorruptStoreException ex)
            {
                problems.Add(ex.Message);
            }
        }

        foreach (var (sequence, files) in wanted)
        {
            checks.AddRange(files.Select(f => new CheckpointCheck(f.Path, f.Checkpoint.RegistryVersion, sequence,
                $"the log has only {counters.Entries} verified entries; nothing to compare with")));
        }

        problems.AddRange(checks.Where(c => c.Problem is not null).Select(c => $"checkpoint {c}"));
        return new VerificationReport
        {
            DataDirectory = directory.Path,
            Entries = counters.Entries,
            Proposals = counters.Events - counters.Approvals,
            Approvals = counters.Approvals,
            Commits = counters.Commits,
            HeadVersion = state.Version,
            HeadHash = state.HeadHash.ToString(),
            StateRoot = state.Descriptors.Root.ToString(),
            TornTail = torn,
            Checkpoints = checks,
            Problems = problems,
        };
    }

    private static void CheckAt(long sequence, RegistryState replayed, Dictionary<long, List<(string Path, Checkpoint Checkpoint)>> wanted, List<CheckpointCheck> checks)
    {
        if (!wanted.Remove(sequence, out var files))
        {
            return;
        }

        foreach (var (path, checkpoint) in files)
        {
            checks.Add(new CheckpointCheck(path, checkpoint.RegistryVersion, sequence, Compare(checkpoint, replayed)));
        }
    }

    private static string? Compare(Checkpoint checkpoint, RegistryState replayed)
    {
        RegistryState stored;
        try
        {
            stored = StateSnapshotCodec.Read(checkpoint.ContiguousPayload.Span);
        }
        catch (FormatException ex)
        {
            return $"the state snapshot does not decode: {ex.Message}";
        }

        if (stored.Genesis.Hash != replayed.Genesis.Hash)
        {
            return $"belongs to another registry (genesis {stored.Genesis.Hash})";
        }

        if (stored.Version != replayed.Version || stored.HeadHash != replayed.HeadHash)
        {
            return $"holds version {stored.Version} {stored.HeadHash}; the chain has {replayed.Version} {replayed.HeadHash} at that log position";
        }

        if (stored.Descriptors.Root != replayed.Descriptors.Root || stored.Descriptors.Count != replayed.Descriptors.Count)
        {
            return $"its descriptors (root {stored.Descriptors.Root}) differ from the chain's ({replayed.Descriptors.Root})";
        }

        if (stored.Pending.Count != replayed.Pending.Count || stored.SignerSet.Version != replayed.SignerSet.Version)
        {
            return $"its open proposals or signer set differ from the chain's ({stored.Pending.Count} vs {replayed.Pending.Count} open)";
        }

        return null;
    }
}
