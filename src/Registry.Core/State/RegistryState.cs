using System.Collections.Immutable;
using Registry.Core.Machine;
using Registry.Core.Model;

namespace Registry.Core.State;

/// <summary>
/// The whole registry at one point of the event log: HEAD, descriptors, signer set, open proposals.
/// </summary>
/// <remarks>
/// Immutable and thread-safe: <see cref="Apply"/> returns a new state that shares structure with this
/// one (persistent tree and maps), so keeping many versions costs O(changes × log n), not
/// O(versions × size). Readers may hold any state while the writer moves on.
/// </remarks>
public sealed partial class RegistryState
{
    /// <summary>Most open proposals at once; beyond it proposing answers Busy.</summary>
    public const int MaxPending = 10_000;

    /// <summary>A stale proposal is dropped once HEAD is this many versions past its base.</summary>
    public const long StaleRetention = 1024;

    private RegistryState(
        GenesisRecord genesis,
        CommitRecord? head,
        StateTree descriptors,
        SignerSet signerSet,
        ImmutableDictionary<string, int> regionRefs,
        ImmutableDictionary<Digest, PendingProposal> pending,
        ImmutableDictionary<Digest, long> committedProposals)
    {
        Genesis = genesis;
        Head = head;
        Descriptors = descriptors;
        SignerSet = signerSet;
        RegionRefs = regionRefs;
        Pending = pending;
        CommittedProposals = committedProposals;
    }

    /// <summary>Version 0.</summary>
    public GenesisRecord Genesis { get; }

    /// <summary>The deployment's registry id.</summary>
    public string RegistryId => Genesis.Registry;

    /// <summary>The newest commit record, or null at version 0.</summary>
    public CommitRecord? Head { get; }

    /// <summary>HEAD version.</summary>
    public long Version => Head?.Version ?? 0;

    /// <summary>HEAD hash.</summary>
    public Digest HeadHash => Head?.Hash ?? Genesis.Hash;

    /// <summary>The hash before HEAD (zero at version 0).</summary>
    public Digest PrevHash => Head?.PrevHash ?? Digest.Zero;

    /// <summary>The descriptors at HEAD.</summary>
    public StateTree Descriptors { get; }

    /// <summary>The signer set in force.</summary>
    public SignerSet SignerSet { get; }

    /// <summary>Open proposals by id (including stale ones not yet dropped).</summary>
    public ImmutableDictionary<Digest, PendingProposal> Pending { get; }

    /// <summary>Committed proposal ids and the version each became.</summary>
    public ImmutableDictionary<Digest, long> CommittedProposals { get; }

    internal ImmutableDictionary<string, int> RegionRefs { get; }

    /// <summary>The state at version 0.</summary>
    public static RegistryState FromGenesis(GenesisRecord genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        return new RegistryState(
            genesis,
            null,
            StateTree.Empty,
            genesis.SignerSet,
            ImmutableDictionary.Create<string, int>(StringComparer.Ordinal),
            ImmutableDictionary<Digest, PendingProposal>.Empty,
            ImmutableDictionary<Digest, long>.Empty);
    }

    /// <summary>The status of an open proposal at this state and time.</summary>
    public ProposalStatus StatusOf(PendingProposal pending, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (now >= pending.Proposal.ExpiresAt)
        {
            return ProposalStatus.Expired;
        }

        if (pending.Proposal.BaseVersion != Version)
        {
            return ProposalStatus.Stale;
        }

        return Quorum.Count(SignerSet, pending.NewSignerSet, pending.Approvals).IsMet ? ProposalStatus.Approved : ProposalStatus.Pending;
    }

    /// <summary>Applies an event (already decided or verified). Throws if it does not fit this state (a bug or corruption).</summary>
    public RegistryState Apply(RegistryEvent @event) => @event switch
    {
        ProposalAccepted accepted => ApplyProposal(accepted),
        ApprovalAccepted approval => ApplyApproval(approval),
        Committed committed => ApplyCommit(committed),
        _ => throw new ArgumentException($"Unknown event {@event?.GetType().Name}.", nameof(@event)),
    };

    /// <summary>Rebuilds a state from its parts (checkpoint loading). The caller verifies the root against <paramref name="head"/>.</summary>
    internal static RegistryState Restore(
        GenesisRecord genesis,
        CommitRecord? head,
        StateTree descriptors,
        SignerSet signerSet,
        ImmutableDictionary<Digest, PendingProposal> pending,
        ImmutableDictionary<Digest, long> committedProposals)
    {
        var refs = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var descriptor in descriptors)
        {
            if (descriptor.Region is { } region)
            {
                refs[region] = refs.GetValueOrDefault(region) + 1;
            }
        }

        return new RegistryState(genesis, head, descriptors, signerSet, refs.ToImmutable(), pending, committedProposals);
    }
}
