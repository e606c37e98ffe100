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
    /// <summary>Decides a new proposal.</summary>
    public static Decision<ProposalAccepted> DecidePropose(RegistryState state, Proposal proposal, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(proposal);
        if (state.Pending.ContainsKey(proposal.Id) || state.CommittedProposals.ContainsKey(proposal.Id))
        {
            return Decision<ProposalAccepted>.Unchanged();
        }

        if (proposal.Registry != state.RegistryId)
        {
            return Decision<ProposalAccepted>.Reject(RegistryErrorCode.Malformed, $"The proposal is for registry '{proposal.Registry}', this is '{state.RegistryId}'.");
        }

        if (proposal.BaseVersion != state.Version || proposal.BaseHash != state.HeadHash)
        {
            return Decision<ProposalAccepted>.Reject(ChainMismatch(state, proposal));
        }

        if (now >= proposal.ExpiresAt)
        {
            return Decision<ProposalAccepted>.Reject(RegistryErrorCode.ProposalExpired, $"expires_at {proposal.ExpiresAt} is not in the future.");
        }

        if (state.Pending.Count >= RegistryState.MaxPending)
        {
            return Decision<ProposalAccepted>.Reject(RegistryErrorCode.Busy, $"{RegistryState.MaxPending} proposals are open; commit or let some expire.");
        }

        var transition = Transition.Apply(state, proposal.Changes, out var rejection);
        return transition is null
            ? Decision<ProposalAccepted>.Reject(rejection!)
            : Decision<ProposalAccepted>.Accept(new ProposalAccepted(proposal, transition.Tree.Root, now));
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

    /// <summary>Decides a commit: CAS on HEAD, quorum, then the record for version + 1.</summary>
    public static Decision<Committed> DecideCommit(RegistryState state, Digest proposalId, Timestamp now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.CommittedProposals.ContainsKey(proposalId))
        {
            return Decision<Committed>.Unchanged();
        }

        if (Open(state, proposalId, now, out var pending) is { } closed)
        {
            return Decision<Committed>.Reject(closed);
        }

        var quorum = Quorum.Count(state.SignerSet, pending!.NewSignerSet, pending.Approvals);
        if (!quorum.IsMet)
        {
            var detail = $"{quorum.Have} of {quorum.Need} approvals from signer set {state.SignerSet.Version}"
                + (quorum.NewNeed > 0 ? $", {quorum.NewHave} of {quorum.NewNeed} from the new set" : string.Empty) + ".";
            return Decision<Committed>.Reject(RegistryErrorCode.QuorumFailed, detail);
        }

        var transition = Transition.Apply(state, pending.Proposal.Changes, out var rejection);
        if (transition is null)
        {
            return Decision<Committed>.Reject(rejection!);
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

    private static Rejection? Open(RegistryState state, Digest proposalId, Timestamp now, out PendingProposal? pending)
    {
        if (!state.Pending.TryGetValue(proposalId, out pending))
        {
            return new Rejection(RegistryErrorCode.NotFound, $"No open proposal {proposalId}.");
        }

        if (now >= pending.Proposal.ExpiresAt)
        {
            return new Rejection(RegistryErrorCode.ProposalExpired, $"Proposal {proposalId} expired at {pending.Proposal.ExpiresAt}.");
        }

        return pending.Proposal.BaseVersion != state.Version ? ChainMismatch(state, pending.Proposal) : null;
    }

    private static Rejection ChainMismatch(RegistryState state, Proposal proposal) => new(
        RegistryErrorCode.ChainMismatch,
        $"The proposal is based on version {proposal.BaseVersion} ({proposal.BaseHash}); HEAD is {state.Version} ({state.HeadHash}).");
}
