using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

public static partial class RegistryMachine
{
    /// <summary>
    /// Re-checks a commit record against the state before it, as a verifier or recovery must: version
    /// and link, proposal id, registry, the scope covering the changes, rules 1-4 of the commit rule (base in
    /// the chain, no commit since the base wrote an id in the scope, the signer set unchanged, the data-model
    /// rules on this state), every approval's signer and signature, quorum, a proposal committed only once, the
    /// state root, and non-decreasing time. Returns null when the record is valid, else the first problem found.
    /// </summary>
    public static string? Verify(RegistryState state, CommitRecord record) => Verify(state, record, out _);

    /// <summary>As <see cref="Verify(RegistryState, CommitRecord)"/>, also returning the state after the record when valid.</summary>
    public static string? Verify(RegistryState state, CommitRecord record, out RegistryState? next) =>
        Verify(state, record, PreverifiedApprovals.None, out next);

    /// <summary>
    /// As <see cref="Verify(RegistryState, CommitRecord, out RegistryState?)"/>, with approval signatures already checked
    /// ahead of this call (<see cref="ApprovalPreverifier"/>): a signature is not checked again when
    /// <paramref name="preverified"/> holds it valid under exactly the key this state gives its signer. Same result,
    /// same first problem, as without.
    /// </summary>
    public static string? Verify(RegistryState state, CommitRecord record, PreverifiedApprovals preverified, out RegistryState? next)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(preverified);
        next = null;
        var v = record.Version;
        if (v != state.Version + 1)
        {
            return $"version {v}: expected version {state.Version + 1}.";
        }

        if (record.PrevHash != state.HeadHash)
        {
            return $"version {v}: prev_hash {record.PrevHash} does not match hash({state.Version}) {state.HeadHash}.";
        }

        var proposal = record.Proposal;
        if (record.ProposalId != proposal.Id)
        {
            return $"version {v}: proposal_id {record.ProposalId} is not the digest of the proposal ({proposal.Id}).";
        }

        if (proposal.Registry != state.RegistryId)
        {
            return $"version {v}: the proposal is for registry '{proposal.Registry}', not '{state.RegistryId}'.";
        }

        if (state.CommittedProposals.TryGetValue(proposal.Id, out var earlier))
        {
            return $"version {v}: proposal {proposal.Id} was already committed as version {earlier}.";
        }

        if (proposal.MissingFromScope() is { } missing)
        {
            return $"version {v}: the proposal's scope lacks '{missing}', which its changes put, delete or reference.";
        }

        if (state.ConflictOf(proposal) is { } conflict)
        {
            return $"version {v}: {conflict.Code}: {conflict.Detail}";
        }

        if (record.SignerSetVersion != state.SignerSet.Version)
        {
            return $"version {v}: signer_set_version {record.SignerSetVersion}, but set {state.SignerSet.Version} is in force.";
        }

        if (state.Head is { } head && record.CommittedAt < head.CommittedAt)
        {
            return $"version {v}: committed_at {record.CommittedAt} is before version {state.Version}'s {head.CommittedAt}.";
        }

        if (VerifyApprovals(state, record, preverified) is { } approvalError)
        {
            return $"version {v}: {approvalError}";
        }

        var transition = Transition.Apply(state, proposal.Changes, out var rejection);
        if (transition is null)
        {
            return $"version {v}: changes break the data model: {rejection!.Detail}";
        }

        if (transition.Tree.Root != record.StateRoot)
        {
            return $"version {v}: state_root {record.StateRoot} does not match the recomputed root {transition.Tree.Root}.";
        }

        next = state.Apply(new Committed(record) { Precomputed = (state, transition) });
        return null;
    }

    private static string? VerifyApprovals(RegistryState state, CommitRecord record, PreverifiedApprovals preverified)
    {
        var pending = new PendingProposal(record.Proposal, record.StateRoot, record.CommittedAt, record.Approvals);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < record.Approvals.Length; i++)
        {
            var approval = record.Approvals[i];
            if (!seen.Add(approval.SignerId))
            {
                return $"signer '{approval.SignerId}' approves twice.";
            }

            if (!TryGetApproverKey(state, pending, approval.SignerId, out var key))
            {
                return $"approval by '{approval.SignerId}', who is not a signer.";
            }

            if (!preverified.Covers(i, key) && !approval.Verify(key, record.ProposalId))
            {
                return $"the signature by '{approval.SignerId}' does not verify.";
            }
        }

        var quorum = Quorum.Count(state.SignerSet, pending.NewSignerSet, record.Approvals);
        return quorum.IsMet ? null : $"quorum not met ({quorum.Have}/{quorum.Need}, new set {quorum.NewHave}/{quorum.NewNeed}).";
    }
}
