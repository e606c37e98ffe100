using System.Collections.Immutable;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Transparency;

namespace Registry.Client.Verification;

/// <summary>
/// Follows log key rotations through the chain (docs/PROTOCOL.md §12.14): it verifies commit records from a trusted
/// genesis, as <c>ronctl verify</c> does (links, proposal ids, approvals and quorum under the signer set in force, the
/// data-model rules, state roots), keeps the RFC 6962 tree of their hashes, and so knows the log key the chain puts in
/// force at every version it verified: the last <c>set_log_key</c> at or before it, else the trust roots' <c>log_key</c>.
/// </summary>
/// <remarks>
/// A rotation is believed only because the signer set's threshold approved it, never because a log key signed it: the
/// old key cannot install a new one, and a new key cannot vouch for itself. Thread-safe: one follow runs at a time.
/// </remarks>
public sealed class LogKeyFollower : IDisposable
{
    private readonly SemaphoreSlim _following = new(1, 1);
    private readonly MerkleTree _tree = new();
    private readonly Lock _gate = new();
    private RegistryState _state;
    private ImmutableArray<(long Version, NoteVerifierKey Key)> _rotations = [];

    /// <summary>Starts at <paramref name="trustedGenesis"/>, built from trust roots the client holds.</summary>
    public LogKeyFollower(GenesisRecord trustedGenesis)
    {
        ArgumentNullException.ThrowIfNull(trustedGenesis);
        Genesis = trustedGenesis;
        _state = RegistryState.FromGenesis(trustedGenesis);
        _tree.AppendLeafHash(MerkleHash.Leaf(trustedGenesis.Hash));
    }

    /// <summary>The trusted genesis.</summary>
    public GenesisRecord Genesis { get; }

    /// <summary>The newest version verified so far.</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _state.Version;
            }
        }
    }

    /// <summary>The rotations verified so far: each <c>set_log_key</c> commit's version and key, in order.</summary>
    public ImmutableArray<(long Version, NoteVerifierKey Key)> Rotations
    {
        get
        {
            lock (_gate)
            {
                return _rotations;
            }
        }
    }

    /// <summary>
    /// The key the chain puts in force at <paramref name="version"/> (at most <see cref="Version"/>), or null when the
    /// chain names none there (neither the trust roots nor a rotation at or before it).
    /// </summary>
    public NoteVerifierKey? KeyAt(long version)
    {
        lock (_gate)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(version, _state.Version);
            var key = Genesis.LogKey;
            foreach (var (at, rotated) in _rotations)
            {
                if (at > version)
                {
                    break;
                }

                key = rotated;
            }

            return key;
        }
    }

    /// <summary>The RFC 6962 root of the verified chain's first <paramref name="size"/> hashes (size at most <see cref="Version"/> + 1).</summary>
    public Digest RootAt(long size)
    {
        lock (_gate)
        {
            return _tree.RootAt(size);
        }
    }

    /// <summary>
    /// Verifies <paramref name="records"/>, versions <see cref="Version"/> + 1 through <paramref name="through"/> in
    /// order. All or nothing: null when every record verified and the chain reached <paramref name="through"/> (it is
    /// then the followed chain), else what failed (nothing is kept).
    /// </summary>
    public async Task<string?> FollowAsync(IAsyncEnumerable<CommitRecord> records, long through, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await _following.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RegistryState state;
            lock (_gate)
            {
                state = _state;
            }

            var leaves = new List<Digest>();
            var rotations = new List<(long, NoteVerifierKey)>();
            await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (record.Version > through)
                {
                    break;
                }

                if (RegistryMachine.Verify(state, record, out var next) is { } error)
                {
                    return $"version {record.Version}: {error}";
                }

                if (!ReferenceEquals(next!.LogKey, state.LogKey) && next.LogKey is { } rotated)
                {
                    rotations.Add((record.Version, rotated));
                }

                state = next;
                leaves.Add(MerkleHash.Leaf(record.Hash));
            }

            if (state.Version < through)
            {
                return $"the chain read ends at version {state.Version}, before version {through}";
            }

            lock (_gate)
            {
                foreach (var leaf in leaves)
                {
                    _tree.AppendLeafHash(leaf);
                }

                _rotations = _rotations.AddRange(rotations);
                _state = state;
            }

            return null;
        }
        finally
        {
            _following.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _following.Dispose();
}
