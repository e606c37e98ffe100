using Registry.Core.Machine;
using Registry.Core.Model;

namespace Registry.Core.State;

public sealed partial class RegistryState
{
    private RegistryState With(
        CommitRecord? head = null,
        StateTree? descriptors = null,
        SignerSet? signerSet = null,
        System.Collections.Immutable.ImmutableDictionary<string, int>? regionRefs = null,
        System.Collections.Immutable.ImmutableDictionary<Digest, PendingProposal>? pending = null,
        System.Collections.Immutable.ImmutableDictionary<Digest, long>? committed = null,
        System.Collections.Immutable.ImmutableDictionary<string, long>? lastWriters = null,
        ChainHashes? hashes = null) =>
        new(
            Genesis,
            head ?? Head,
            descriptors ?? Descriptors,
            signerSet ?? SignerSet,
            regionRefs ?? RegionRefs,
            pending ?? Pending,
            committed ?? CommittedProposals,
            lastWriters ?? LastWriters,
            hashes ?? Hashes);

    private RegistryState ApplyProposal(ProposalAccepted accepted)
    {
        var proposal = accepted.Proposal;
        if (Pending.ContainsKey(proposal.Id))
        {
            throw new InvalidOperationException($"Proposal {proposal.Id} is already open.");
        }

        return With(pending: Pending.Add(proposal.Id, new PendingProposal(proposal, accepted.StateRoot, accepted.AcceptedAt, [])));
    }

    private RegistryState ApplyApproval(ApprovalAccepted accepted)
    {
        if (!Pending.TryGetValue(accepted.ProposalId, out var pending))
        {
            throw new InvalidOperationException($"Approval for proposal {accepted.ProposalId}, which is not open.");
        }

        if (pending.HasApprovalFrom(accepted.Approval.SignerId))
        {
            throw new InvalidOperationException($"Second approval by '{accepted.Approval.SignerId}' for {accepted.ProposalId}.");
        }

        return With(pending: Pending.SetItem(accepted.ProposalId, pending.With(accepted.Approval)));
    }

    private RegistryState ApplyCommit(Committed committed)
    {
        var record = committed.Record;
        if (record.Version != Version + 1 || record.PrevHash != HeadHash)
        {
            throw new InvalidOperationException($"Commit {record.Version} does not follow HEAD {Version} ({HeadHash}).");
        }

        Transition transition;
        if (committed.Precomputed is { } pre && ReferenceEquals(pre.From, this))
        {
            transition = pre.Result;
        }
        else
        {
            transition = Transition.Apply(this, record.Proposal.Changes, out var rejection)
                ?? throw new InvalidOperationException($"Commit {record.Version} cannot be applied: {rejection!.Detail}");
        }

        var pending = Pending.Remove(record.ProposalId);
        if (pending.Count > 0 && (pending.Count < 64 || record.Version % 64 == 0))
        {
            // Drop what can never commit: expired, or stale for longer than the retention window.
            var dead = pending.Values
                .Where(p => p.Proposal.ExpiresAt <= record.CommittedAt || (p.Proposal.BaseVersion + StaleRetention < record.Version && IsStaleAfter(p.Proposal, record, transition)))
                .Select(p => p.Id)
                .ToList();
            pending = pending.RemoveRange(dead);
        }

        var writers = LastWriters.ToBuilder();
        foreach (var change in record.Proposal.Changes)
        {
            switch (change)
            {
                case PutChange put:
                    writers[put.Descriptor.Id] = record.Version;
                    break;
                case DeleteChange delete:
                    writers[delete.Id] = record.Version;
                    break;
            }
        }

        return With(
            head: record,
            lastWriters: writers.ToImmutable(),
            hashes: Hashes.Append(record.Hash),
            descriptors: transition.Tree,
            signerSet: transition.SignerSet,
            regionRefs: transition.RegionRefs,
            pending: pending,
            committed: CommittedProposals.SetItem(record.ProposalId, record.Version));
    }

    // Whether a pending proposal can no longer commit once this record is applied: checked against the state after
    // it, which is built from the parts the record is about to install.
    private bool IsStaleAfter(Proposal proposal, CommitRecord record, Transition transition)
    {
        if (proposal.SignerSetVersion != transition.SignerSet.Version || proposal.ScopesEverything)
        {
            return true;
        }

        foreach (var id in proposal.Scope)
        {
            if (LastWriters.TryGetValue(id, out var wroteAt) && wroteAt > proposal.BaseVersion)
            {
                return true;
            }
        }

        return WritesAny(record.Proposal, proposal.Scope);
    }

    private static bool WritesAny(Proposal committed, System.Collections.Immutable.ImmutableArray<string> scope)
    {
        foreach (var change in committed.Changes)
        {
            var id = change switch
            {
                PutChange put => put.Descriptor.Id,
                DeleteChange delete => delete.Id,
                _ => null,
            };
            if (id is not null && System.Collections.Immutable.ImmutableArray.BinarySearch(scope, id, StringComparer.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
