using System.Collections.Immutable;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.Transparency;

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
    private RegistryState(
        GenesisRecord genesis,
        CommitRecord? head,
        StateTree descriptors,
        SignerSet signerSet,
        ImmutableDictionary<string, int> regionRefs,
        ImmutableDictionary<Digest, PendingProposal> pending,
        ImmutableDictionary<Digest, long> committedProposals,
        ImmutableDictionary<string, long> lastWriters,
        ChainHashes hashes,
        ImmutableDictionary<Digest, DroppedProposal> dropped,
        long pendingBytes,
        ImmutableDictionary<string, int> pendingByToken,
        NoteVerifierKey? logKey)
    {
        Genesis = genesis;
        LogKey = logKey;
        LastWriters = lastWriters;
        Hashes = hashes;
        Head = head;
        Descriptors = descriptors;
        SignerSet = signerSet;
        RegionRefs = regionRefs;
        Pending = pending;
        CommittedProposals = committedProposals;
        Dropped = dropped;
        PendingBytes = pendingBytes;
        PendingByToken = pendingByToken;
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

    /// <summary>
    /// The transparency log key the chain puts in force at HEAD: the last <c>set_log_key</c> commit's, else the trust
    /// roots' <c>log_key</c>, else null (the chain names none; the service's configured key signs).
    /// </summary>
    public NoteVerifierKey? LogKey { get; }

    /// <summary>Open proposals by id (including stale and expired ones not yet dropped).</summary>
    public ImmutableDictionary<Digest, PendingProposal> Pending { get; }

    /// <summary>The canonical bytes of every proposal in <see cref="Pending"/>, summed (the <c>limits.pending_max_bytes</c> bound).</summary>
    public long PendingBytes { get; }

    /// <summary>Proposals in <see cref="Pending"/> per proposing capability token id (the <c>limits.pending_max_per_token</c> bound); ids with none are absent.</summary>
    public ImmutableDictionary<string, int> PendingByToken { get; }

    /// <summary>Proposals dropped after their retention (<see cref="ProposalsDropped"/>), by id: what their view reports.</summary>
    public ImmutableDictionary<Digest, DroppedProposal> Dropped { get; }

    /// <summary>Committed proposal ids and the version each became.</summary>
    public ImmutableDictionary<Digest, long> CommittedProposals { get; }

    /// <summary>
    /// Per descriptor id ever put or deleted (deleted ones included), the version that last wrote it: rule 2 of the
    /// commit rule is one lookup per scope id. Persistent (shares structure between versions).
    /// </summary>
    public ImmutableDictionary<string, long> LastWriters { get; }

    /// <summary><c>hash(v)</c> for every version 0..HEAD (rule 1: the base is in this chain).</summary>
    public ChainHashes Hashes { get; }

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
            ImmutableDictionary<Digest, long>.Empty,
            ImmutableDictionary.Create<string, long>(StringComparer.Ordinal),
            ChainHashes.Start(genesis.Hash),
            ImmutableDictionary<Digest, DroppedProposal>.Empty,
            0,
            ImmutableDictionary.Create<string, int>(StringComparer.Ordinal),
            genesis.LogKey);
    }

    /// <summary>
    /// The first of rules 1-3 of the commit rule (SPEC §1) that <paramref name="proposal"/> breaks at this HEAD, or
    /// null: its base is in this chain, no commit after its base wrote an id in its scope, and its signer set is
    /// the one in force. Costs O(|scope| log n).
    /// </summary>
    public ProposalConflict? ConflictOf(Proposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        if (!Hashes.Holds(proposal.BaseVersion, proposal.BaseHash))
        {
            return new ProposalConflict(
                RegistryErrorCode.ChainMismatch,
                $"The proposal's base (version {proposal.BaseVersion}, {proposal.BaseHash}) is not in this chain; HEAD is {Version} ({HeadHash}).",
                null,
                proposal.BaseVersion);
        }

        if (proposal.ScopesEverything)
        {
            if (Version > proposal.BaseVersion)
            {
                var first = proposal.BaseVersion + 1;
                return new ProposalConflict(
                    RegistryErrorCode.ScopeConflict,
                    $"The proposal's scope is the whole registry (\"*\"), and version {first} was committed after its base {proposal.BaseVersion}.",
                    Proposal.Everything,
                    first);
            }
        }
        else
        {
            foreach (var id in proposal.Scope)
            {
                if (LastWriters.TryGetValue(id, out var wroteAt) && wroteAt > proposal.BaseVersion)
                {
                    return new ProposalConflict(
                        RegistryErrorCode.ScopeConflict,
                        $"'{id}' is in the proposal's scope and was written by version {wroteAt}, after its base {proposal.BaseVersion}.",
                        id,
                        wroteAt);
                }
            }
        }

        if (proposal.SignerSetVersion != SignerSet.Version)
        {
            return new ProposalConflict(
                RegistryErrorCode.SignerSetChanged,
                $"The proposal needs signer set {proposal.SignerSetVersion}; set {SignerSet.Version} is in force.",
                null,
                SignerSet.Version);
        }

        return null;
    }

    /// <summary>
    /// Why an open proposal can never commit at this state and time: <see cref="ProposalStatus.Expired"/> (past its
    /// expiry; checked first), <see cref="ProposalStatus.Stale"/> (rules 1-3 fail for good: scope written, signer set
    /// changed), or null while it still may.
    /// </summary>
    public ProposalStatus? DeadStatusOf(Proposal proposal, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return now >= proposal.ExpiresAt ? ProposalStatus.Expired
            : ConflictOf(proposal) is not null ? ProposalStatus.Stale
            : null;
    }

    /// <summary>The status of an open proposal at this state and time.</summary>
    public ProposalStatus StatusOf(PendingProposal pending, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (now >= pending.Proposal.ExpiresAt)
        {
            return ProposalStatus.Expired;
        }

        if (ConflictOf(pending.Proposal) is not null)
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
        ProposalsDropped dropped => ApplyDrop(dropped),
        _ => throw new ArgumentException($"Unknown event {@event?.GetType().Name}.", nameof(@event)),
    };

    /// <summary>
    /// This state with commits only: no open proposal (their accounting cleared) and no dropped one. What a node serves
    /// from its checkpoint to a replica bootstrapping from it, and what that replica installs: a replica stores commits
    /// and reads proposals from the primary, so its state holds none, as one verified from genesis does; and an open
    /// proposal names the token id that proposed it, which no public read shows.
    /// </summary>
    public RegistryState CommitsOnly() => Pending.IsEmpty && Dropped.IsEmpty
        ? this
        : new RegistryState(Genesis, Head, Descriptors, SignerSet, RegionRefs, ImmutableDictionary<Digest, PendingProposal>.Empty, CommittedProposals, LastWriters, Hashes, ImmutableDictionary<Digest, DroppedProposal>.Empty, 0, ImmutableDictionary<string, int>.Empty.WithComparers(StringComparer.Ordinal), LogKey);

    /// <summary>Rebuilds a state from its parts (checkpoint loading). The caller verifies the root against <paramref name="head"/>.</summary>
    internal static RegistryState Restore(
        GenesisRecord genesis,
        CommitRecord? head,
        StateTree descriptors,
        SignerSet signerSet,
        ImmutableDictionary<Digest, PendingProposal> pending,
        ImmutableDictionary<Digest, long> committedProposals,
        ImmutableDictionary<string, long> lastWriters,
        ChainHashes hashes,
        ImmutableDictionary<Digest, DroppedProposal>? dropped = null,
        NoteVerifierKey? logKey = null)
    {
        var refs = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var descriptor in descriptors)
        {
            if (descriptor.Region is { } region)
            {
                refs[region] = refs.GetValueOrDefault(region) + 1;
            }
        }

        long bytes = 0;
        var byToken = ImmutableDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        foreach (var open in pending.Values)
        {
            bytes += open.Proposal.CanonicalBytes.Length;
            if (open.ProposedBy is { } token)
            {
                byToken[token] = byToken.GetValueOrDefault(token) + 1;
            }
        }

        return new RegistryState(genesis, head, descriptors, signerSet, refs.ToImmutable(), pending, committedProposals, lastWriters, hashes, dropped ?? ImmutableDictionary<Digest, DroppedProposal>.Empty, bytes, byToken.ToImmutable(), logKey);
    }
}
