using Registry.Core.Crypto;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

/// <summary>
/// The write plane's rules: decides each command (propose, approve, commit) against a state into an
/// event to append, an idempotent no-op, or a named rejection with a SPEC §2 code. Pure: no I/O, no
/// clock (the caller passes <c>now</c>); deterministic; thread-safe.
/// </summary>
public static partial class RegistryMachine
{
    /// <summary>
    /// Decides a new proposal: rules 1-4 of the commit rule must hold at this HEAD (its changes are checked on the
    /// actual HEAD), and its changes must also be valid on its own base, against which approvers review them.
    /// </summary>
    /// <param name="state">HEAD.</param>
    /// <param name="proposal">The proposal.</param>
    /// <param name="now">The writer's clock.</param>
    /// <param name="baseState">
    /// The state at the proposal's base version, when that is older than HEAD (the caller reads it from its version
    /// history); unused when the base is HEAD. The recorded <c>state_root</c> is the root on the base.
    /// </param>
    /// <param name="limits">
    /// The bounds on proposals held (default <see cref="PendingLimits.Default"/>): past one, 429 <c>Busy</c> naming it
    /// (<see cref="Rejection.Limit"/>). Checked here only, never on replay.
    /// </param>
    /// <param name="proposedBy">The proposing capability token's id, recorded in the event and counted per token.</param>
    /// <exception cref="ArgumentException">The base is older than HEAD and <paramref name="baseState"/> is not the state at it.</exception>
    public static Decision<ProposalAccepted> DecidePropose(
        RegistryState state, Proposal proposal, Timestamp now, RegistryState? baseState = null, PendingLimits? limits = null, string? proposedBy = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(proposal);
        if (state.Pending.ContainsKey(proposal.Id) || state.CommittedProposals.ContainsKey(proposal.Id))
        {
            return Decision<ProposalAccepted>.Unchanged();
        }

        if (Precheck(state, proposal, now) is { } refused)
        {
            return Decision<ProposalAccepted>.Reject(refused);
        }

        if (OverLimit(state, proposal, limits ?? PendingLimits.Default, proposedBy) is { } busy)
        {
            return Decision<ProposalAccepted>.Reject(busy);
        }

        var transition = Transition.Apply(state, proposal.Changes, out var rejection);
        if (transition is null)
        {
            return Decision<ProposalAccepted>.Reject(rejection!);
        }

        var root = transition.Tree.Root;
        if (proposal.BaseVersion != state.Version)
        {
            if (baseState is null || baseState.Version != proposal.BaseVersion || baseState.HeadHash != proposal.BaseHash)
            {
                throw new ArgumentException($"Deciding a proposal on base {proposal.BaseVersion} at HEAD {state.Version} needs the state at its base.", nameof(baseState));
            }

            var onBase = Transition.Apply(baseState, proposal.Changes, out var baseRejection);
            if (onBase is null)
            {
                return Decision<ProposalAccepted>.Reject(baseRejection!.Code, $"On its base version {proposal.BaseVersion}: {baseRejection.Detail}");
            }

            root = onBase.Tree.Root;
        }

        return Decision<ProposalAccepted>.Accept(new ProposalAccepted(proposal, root, now, proposedBy));
    }

    /// <summary>
    /// Decides dropping <paramref name="candidates"/> (the writer picks those whose retention has passed): each one
    /// still open that can never commit at <paramref name="now"/> is dropped, recorded as expired or stale; the rest
    /// are left alone. Unchanged when none remains.
    /// </summary>
    public static Decision<ProposalsDropped> DecideDrop(RegistryState state, IEnumerable<Digest> candidates, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(candidates);
        var dropped = System.Collections.Immutable.ImmutableArray.CreateBuilder<(Digest, ProposalStatus)>();
        var seen = new HashSet<Digest>();
        foreach (var id in candidates)
        {
            if (seen.Add(id) && state.Pending.TryGetValue(id, out var pending) && state.DeadStatusOf(pending.Proposal, now) is { } because)
            {
                dropped.Add((id, because));
            }
        }

        return dropped.Count == 0
            ? Decision<ProposalsDropped>.Unchanged()
            : Decision<ProposalsDropped>.Accept(new ProposalsDropped(dropped.ToImmutable(), now));
    }

    /// <summary>
    /// Decides an approval. When <paramref name="verifiedWith"/> is the key the signature was already
    /// checked against (in parallel, before the writer), the signature is not verified again.
    /// </summary>
    public static Decision<ApprovalAccepted> DecideApprove(RegistryState state, Digest proposalId, Approval approval, Timestamp now, Ed25519PublicKey? verifiedWith = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(approval);
        if (Open(state, proposalId, now, out var pending) is { } closed)
        {
            return Decision<ApprovalAccepted>.Reject(closed);
        }

        if (!TryGetApproverKey(state, pending!, approval.SignerId, out var key))
        {
            return Decision<ApprovalAccepted>.Reject(RegistryErrorCode.UnknownSigner, $"'{approval.SignerId}' is not a signer who may approve this proposal.");
        }

        if (pending!.HasApprovalFrom(approval.SignerId))
        {
            return Decision<ApprovalAccepted>.Reject(RegistryErrorCode.DuplicateApproval, $"'{approval.SignerId}' has already approved {proposalId}.");
        }

        var verified = verifiedWith is { } k && k == key;
        if (!verified && !approval.Verify(key, proposalId))
        {
            return Decision<ApprovalAccepted>.Reject(RegistryErrorCode.InvalidSig, $"The signature by '{approval.SignerId}' does not verify for {proposalId}.");
        }

        return Decision<ApprovalAccepted>.Accept(new ApprovalAccepted(proposalId, approval));
    }

    /// <summary>Decides a commit of an open proposal: the five rules of the commit rule, then the record for version + 1.</summary>
    public static Decision<Committed> DecideCommit(RegistryState state, Digest proposalId, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.CommittedProposals.ContainsKey(proposalId))
        {
            return Decision<Committed>.Unchanged();
        }

        if (!state.Pending.TryGetValue(proposalId, out var pending))
        {
            return Decision<Committed>.Reject(RegistryErrorCode.NotFound, $"No open proposal {proposalId}.");
        }

        return DecideCommit(state, pending, now);
    }

    /// <summary>
    /// Decides a commit of <paramref name="pending"/> (open, or a complete pre-signed submission): rules 1-3 (base in
    /// the chain, scope untouched since the base, signer set unchanged), expiry, rule 4 (the changes keep the data
    /// model on HEAD), rule 5 (quorum), then the record for version + 1. The approvals' signatures must have been
    /// verified already.
    /// </summary>
    public static Decision<Committed> DecideCommit(RegistryState state, PendingProposal pending, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pending);
        if (state.CommittedProposals.ContainsKey(pending.Id))
        {
            return Decision<Committed>.Unchanged();
        }

        if (Precheck(state, pending.Proposal, now) is { } refused)
        {
            return Decision<Committed>.Reject(refused);
        }

        var transition = Transition.Apply(state, pending.Proposal.Changes, out var rejection);
        if (transition is null)
        {
            return Decision<Committed>.Reject(rejection!);
        }

        var quorum = Quorum.Count(state.SignerSet, pending.NewSignerSet, pending.Approvals);
        if (!quorum.IsMet)
        {
            var detail = $"{quorum.Have} of {quorum.Need} approvals from signer set {state.SignerSet.Version}"
                + (quorum.NewNeed > 0 ? $", {quorum.NewHave} of {quorum.NewNeed} from the new set" : string.Empty) + ".";
            return Decision<Committed>.Reject(RegistryErrorCode.QuorumFailed, detail);
        }

        var committedAt = state.Head is { } head && head.CommittedAt > now ? head.CommittedAt : now;
        var record = new CommitRecord(
            checked(state.Version + 1),
            state.HeadHash,
            pending.Proposal,
            pending.Approvals,
            state.SignerSet.Version,
            transition.Tree.Root,
            committedAt);
        return Decision<Committed>.Accept(new Committed(record) { Precomputed = (state, transition) });
    }

    /// <summary>
    /// Decides a pre-signed submission (SPEC §1): a complete proposal and its approvals, committed as one record
    /// without an open proposal. Each approval is checked as <see cref="DecideApprove"/> would (signer, one per
    /// signer, signature; <paramref name="verifiedWith"/> holds keys already checked off the writer, by signer id),
    /// then the commit rule as <see cref="DecideCommit(RegistryState, PendingProposal, Timestamp)"/>. An already
    /// committed proposal is an idempotent no-op.
    /// </summary>
    public static Decision<Committed> DecideSubmit(RegistryState state, Proposal proposal, IReadOnlyList<Approval> approvals, Timestamp now, IReadOnlyDictionary<string, Ed25519PublicKey>? verifiedWith = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(approvals);
        if (state.CommittedProposals.ContainsKey(proposal.Id))
        {
            return Decision<Committed>.Unchanged();
        }

        if (Precheck(state, proposal, now) is { } refused)
        {
            return Decision<Committed>.Reject(refused);
        }

        var pending = new PendingProposal(proposal, default, now, []);
        foreach (var approval in approvals)
        {
            if (!TryGetApproverKey(state, pending, approval.SignerId, out var key))
            {
                return Decision<Committed>.Reject(RegistryErrorCode.UnknownSigner, $"'{approval.SignerId}' is not a signer who may approve this proposal.");
            }

            if (pending.HasApprovalFrom(approval.SignerId))
            {
                return Decision<Committed>.Reject(RegistryErrorCode.DuplicateApproval, $"'{approval.SignerId}' approves {proposal.Id} twice.");
            }

            var verified = verifiedWith is not null && verifiedWith.TryGetValue(approval.SignerId, out var k) && k == key;
            if (!verified && !approval.Verify(key, proposal.Id))
            {
                return Decision<Committed>.Reject(RegistryErrorCode.InvalidSig, $"The signature by '{approval.SignerId}' does not verify for {proposal.Id}.");
            }

            pending = pending.With(approval);
        }

        return DecideCommit(state, pending, now);
    }

    /// <summary>
    /// The key an approval by <paramref name="signerId"/> must verify under: a member of the current set,
    /// or of the new set a set_signers proposal installs.
    /// </summary>
    public static bool TryGetApproverKey(RegistryState state, PendingProposal pending, string signerId, out Ed25519PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(pending);
        return state.SignerSet.TryGetKey(signerId, out key)
            || (pending.NewSignerSet is { } next && next.TryGetKey(signerId, out key));
    }

    // The first bound (SPEC §2: 429 Busy naming it) that accepting this proposal would pass.
    private static Rejection? OverLimit(RegistryState state, Proposal proposal, PendingLimits limits, string? proposedBy)
    {
        const string Hint = " Commit, or let proposals expire and be dropped (limits.proposal_retention_seconds).";
        if (state.Pending.Count >= limits.MaxCount)
        {
            return new Rejection(RegistryErrorCode.Busy, $"{state.Pending.Count} proposals are held; limits.pending_max is {limits.MaxCount}.{Hint}")
            {
                Limit = new RejectedLimit("limits.pending_max", limits.MaxCount),
            };
        }

        if (state.PendingBytes + proposal.CanonicalBytes.Length > limits.MaxBytes)
        {
            return new Rejection(
                RegistryErrorCode.Busy,
                $"The proposals held take {state.PendingBytes} bytes; with this one ({proposal.CanonicalBytes.Length} bytes) that passes limits.pending_max_bytes, {limits.MaxBytes}.{Hint}")
            {
                Limit = new RejectedLimit("limits.pending_max_bytes", limits.MaxBytes),
            };
        }

        if (proposedBy is not null && state.PendingByToken.GetValueOrDefault(proposedBy) >= limits.MaxPerToken)
        {
            return new Rejection(
                RegistryErrorCode.Busy,
                $"Token {proposedBy} holds {state.PendingByToken[proposedBy]} proposals; limits.pending_max_per_token is {limits.MaxPerToken}.{Hint}")
            {
                Limit = new RejectedLimit("limits.pending_max_per_token", limits.MaxPerToken),
            };
        }

        return null;
    }

    private static Rejection? Open(RegistryState state, Digest proposalId, Timestamp now, out PendingProposal? pending)
    {
        if (!state.Pending.TryGetValue(proposalId, out pending))
        {
            return new Rejection(RegistryErrorCode.NotFound, $"No open proposal {proposalId}.");
        }

        return Precheck(state, pending.Proposal, now);
    }

    // What every command on a proposal checks first: this registry, rules 1-3 at HEAD, the scope covers the
    // changes, and expiry.
    private static Rejection? Precheck(RegistryState state, Proposal proposal, Timestamp now)
    {
        if (proposal.Registry != state.RegistryId)
        {
            return new Rejection(RegistryErrorCode.Malformed, $"The proposal is for registry '{proposal.Registry}', this is '{state.RegistryId}'.");
        }

        if (proposal.MissingFromScope() is { } missing)
        {
            return new Rejection(RegistryErrorCode.Malformed, $"'scope' lacks '{missing}', which the changes put, delete or reference.");
        }

        if (state.ConflictOf(proposal) is { } conflict)
        {
            return new Rejection(conflict.Code, conflict.Detail);
        }

        return now >= proposal.ExpiresAt
            ? new Rejection(RegistryErrorCode.ProposalExpired, $"Proposal {proposal.Id} expired at {proposal.ExpiresAt}.")
            : null;
    }
}
