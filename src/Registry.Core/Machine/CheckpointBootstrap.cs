// Checks a followed node's checkpoint before a new replica installs it (docs/REPLICATION.md, "Bootstrap from a
// checkpoint"). What is checked, cheaply (no signature is verified):
//   - the snapshot decodes (StateSnapshotCodec re-derives the descriptor tree's root and requires the state_root of the
//     head record inside it), belongs to this registry (the pinned genesis) and is at the version it was served as;
//   - records 1..V, fed in order, link by prev_hash from the pinned genesis, each at its version, and each record's
//     hash is the snapshot's chain hash at that version (the transparency log's leaves);
//   - record V is the snapshot's head record (same hash, so the same state_root);
//   - what the root does not cover is derived from the records and compared: the signer set in force at V (genesis
//     and the set_signers changes 1..V), the transparency log key in force at V (the trust roots' and the set_log_key
//     changes 1..V, docs/PROTOCOL.md §12.14), the committed proposal ids and the last writer of every id.
// What it trusts (not checked): that every record 1..V carried a quorum of valid approvals under the signer set of its
// version and obeyed the commit rule.
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

/// <summary>A checkpoint refused by <see cref="CheckpointBootstrap"/>: the version and the reason.</summary>
public sealed class CheckpointBootstrapException(long version, string message) : Exception(message)
{
    /// <summary>The version whose check failed (the checkpoint's version for a snapshot problem).</summary>
    public long Version { get; } = version;
}

/// <summary>Checks one followed node's checkpoint against the chain. Feed records 1..V with <see cref="Add"/>, then <see cref="Finish"/>. Not thread-safe.</summary>
public sealed class CheckpointBootstrap
{
    private readonly RegistryState _snapshot;
    private readonly Dictionary<string, long> _writers = new(StringComparer.Ordinal);
    private readonly Dictionary<Digest, long> _committed = [];
    private SignerSet _signers;
    private Transparency.NoteVerifierKey? _logKey;
    private Digest _prev;
    private long _next = 1;

    /// <summary>Decodes <paramref name="snapshot"/> (StateSnapshotCodec bytes) served as version <paramref name="version"/>.</summary>
    /// <exception cref="CheckpointBootstrapException">It does not decode, is another registry's, or is at another version.</exception>
    public CheckpointBootstrap(GenesisRecord genesis, long version, ReadOnlySpan<byte> snapshot)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        try
        {
            _snapshot = StateSnapshotCodec.Read(snapshot);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException)
        {
            // JSON inside the snapshot (trust roots, records, descriptors) that does not parse is a refusal too: the
            // bytes come from the network, and only a typed refusal halts the replica with nothing stored.
            throw new CheckpointBootstrapException(version, $"version {version}: the followed node's checkpoint does not decode: {ex.Message}");
        }

        if (_snapshot.Genesis.Hash != genesis.Hash)
        {
            throw new CheckpointBootstrapException(version, $"version {version}: the followed node's checkpoint belongs to registry '{_snapshot.RegistryId}' with genesis {_snapshot.Genesis.Hash}, not this replica's '{genesis.Registry}' ({genesis.Hash}).");
        }

        if (_snapshot.Version != version || version < 1)
        {
            throw new CheckpointBootstrapException(version, $"version {version}: the followed node's checkpoint was served as version {version} but holds version {_snapshot.Version}.");
        }

        _signers = genesis.SignerSet;
        _logKey = genesis.LogKey;
        _prev = genesis.Hash;
    }

    /// <summary>The checkpoint's version V.</summary>
    public long Version => _snapshot.Version;

    /// <summary>The next record version <see cref="Add"/> expects.</summary>
    public long Next => _next;

    /// <summary>Checks the next record (version <see cref="Next"/>, at most V).</summary>
    /// <exception cref="CheckpointBootstrapException">A version out of order, a broken link, or a hash the snapshot does not hold.</exception>
    public void Add(CommitRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Version != _next || _next > Version)
        {
            throw new CheckpointBootstrapException(_next, $"version {_next}: the followed node's log gave version {record.Version} where {_next} was expected.");
        }

        if (record.PrevHash != _prev)
        {
            throw new CheckpointBootstrapException(_next, $"version {_next}: prev_hash {record.PrevHash} does not link to version {_next - 1} ({_prev}).");
        }

        if (record.Hash != _snapshot.Hashes[_next])
        {
            throw new CheckpointBootstrapException(_next, $"version {_next}: the record hashes to {record.Hash}, but the checkpoint's chain has {_snapshot.Hashes[_next]} there.");
        }

        foreach (var change in record.Proposal.Changes)
        {
            if (change.WrittenId is { } id)
            {
                _writers[id] = record.Version;
            }

            switch (change)
            {
                case SetSignersChange set:
                    _signers = set.SignerSet;
                    break;
                case SetLogKeyChange rotation:
                    _logKey = rotation.LogKey;
                    break;
            }
        }

        _committed[record.ProposalId] = record.Version;
        _prev = record.Hash;
        _next++;
    }

    /// <summary>After records 1..V: the checks against record V, and the state to install (open proposals removed).</summary>
    /// <exception cref="CheckpointBootstrapException">Records missing, or the snapshot differs from what the chain says.</exception>
    public RegistryState Finish()
    {
        var v = Version;
        if (_next != v + 1)
        {
            throw new CheckpointBootstrapException(_next, $"version {_next}: the followed node's log ended before the checkpoint's version {v}.");
        }

        if (_prev != _snapshot.HeadHash || _snapshot.Head!.StateRoot != _snapshot.Descriptors.Root)
        {
            throw new CheckpointBootstrapException(v, $"version {v}: the checkpoint's head {_snapshot.HeadHash} (state_root {_snapshot.Head!.StateRoot}) is not the chain's record {_prev}.");
        }

        if (!_signers.ToCanonicalBytes().AsSpan().SequenceEqual(_snapshot.SignerSet.ToCanonicalBytes()))
        {
            throw new CheckpointBootstrapException(v, $"version {v}: the checkpoint's signer set (version {_snapshot.SignerSet.Version}) is not the one records 1..{v} put in force (version {_signers.Version}).");
        }

        if (_logKey?.ToString() != _snapshot.LogKey?.ToString())
        {
            throw new CheckpointBootstrapException(v, $"version {v}: the checkpoint's log key ({_snapshot.LogKey?.ToString() ?? "none"}) is not the one records 1..{v} put in force ({_logKey?.ToString() ?? "none"}).");
        }

        if (_committed.Count != _snapshot.CommittedProposals.Count || _committed.Any(p => _snapshot.CommittedProposals.GetValueOrDefault(p.Key) != p.Value))
        {
            throw new CheckpointBootstrapException(v, $"version {v}: the checkpoint's committed proposals are not those of records 1..{v}.");
        }

        if (_writers.Count != _snapshot.LastWriters.Count || _writers.Any(w => _snapshot.LastWriters.GetValueOrDefault(w.Key) != w.Value))
        {
            throw new CheckpointBootstrapException(v, $"version {v}: the checkpoint's last writers are not those of records 1..{v}.");
        }

        return _snapshot.CommitsOnly();
    }
}
