using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Client.Verification;

/// <summary>
/// The newest checkpoint a client trusts for one log: a new one is accepted only if it is at least as large and, when
/// larger, a consistency proof from the trusted one verifies; an equal size needs the same root. This is the rollback
/// and split-view defence of SPEC §10.
/// </summary>
/// <remarks>Thread-safe. In memory: seed it with <see cref="TrustedCheckpoints(Checkpoint)"/> from storage of your own to keep it across restarts.</remarks>
public sealed class TrustedCheckpoints
{
    private readonly Lock _gate = new();
    private Checkpoint? _newest;

    /// <summary>An empty store: the first verified checkpoint is trusted as it is (trust on first use).</summary>
    public TrustedCheckpoints()
    {
    }

    /// <summary>A store that already trusts <paramref name="newest"/>.</summary>
    public TrustedCheckpoints(Checkpoint newest)
    {
        ArgumentNullException.ThrowIfNull(newest);
        _newest = newest;
    }

    /// <summary>The newest trusted checkpoint, or null.</summary>
    public Checkpoint? Newest
    {
        get
        {
            lock (_gate)
            {
                return _newest;
            }
        }
    }

    /// <summary>
    /// Accepts <paramref name="candidate"/> (whose signature the caller verified) if it extends the newest trusted one:
    /// null when accepted (it becomes the newest if larger), else why not.
    /// </summary>
    /// <param name="candidate">The new checkpoint.</param>
    /// <param name="consistencyFrom">The size <paramref name="consistencyProof"/> starts from (must be the trusted size when the candidate is larger).</param>
    /// <param name="consistencyProof">The consistency proof from the trusted size to the candidate's.</param>
    public string? TryAccept(Checkpoint candidate, long? consistencyFrom, IReadOnlyList<Digest> consistencyProof) =>
        TryAccept(candidate, consistencyFrom, consistencyProof, out _);

    /// <summary>As <see cref="TryAccept(Checkpoint, long?, IReadOnlyList{Digest})"/>, with the typed reason of a refusal (<see cref="BundleRefusal.None"/> when accepted).</summary>
    public string? TryAccept(Checkpoint candidate, long? consistencyFrom, IReadOnlyList<Digest> consistencyProof, out BundleRefusal reason)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(consistencyProof);
        reason = BundleRefusal.None;
        lock (_gate)
        {
            if (_newest is not { } trusted)
            {
                _newest = candidate;
                return null;
            }

            if (candidate.Origin != trusted.Origin)
            {
                reason = BundleRefusal.WrongOrigin;
                return $"the checkpoint is for log '{candidate.Origin}', not '{trusted.Origin}'";
            }

            if (candidate.Size < trusted.Size)
            {
                reason = BundleRefusal.Rollback;
                return $"rollback: the checkpoint has {candidate.Size} leaves, fewer than the {trusted.Size} of the newest trusted one";
            }

            if (candidate.Size == trusted.Size)
            {
                if (candidate.Root == trusted.Root)
                {
                    return null;
                }

                reason = BundleRefusal.SplitView;
                return $"split view: the checkpoint of size {candidate.Size} has root {candidate.Root}, but the trusted one of the same size has {trusted.Root}";
            }

            if (consistencyFrom != trusted.Size)
            {
                reason = BundleRefusal.NoConsistencyProof;
                return $"no consistency proof from the trusted size {trusted.Size} to {candidate.Size} (ask with since={trusted.Size})";
            }

            if (!MerkleProof.VerifyConsistency(trusted.Size, candidate.Size, consistencyProof, trusted.Root, candidate.Root))
            {
                reason = BundleRefusal.Inconsistent;
                return $"inconsistent: the checkpoint of size {candidate.Size} does not extend the trusted one of size {trusted.Size} (the consistency proof fails)";
            }

            _newest = candidate;
            return null;
        }
    }
}
