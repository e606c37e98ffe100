using System.Collections.Immutable;
using Registry.Core.Machine;
using Registry.Core.Model;

namespace Registry.Core.State;

public sealed partial class RegistryState
{
    private RegistryState With(
        CommitRecord? head = null,
        StateTree? descriptors = null,
        SignerSet? signerSet = null,
        ImmutableDictionary<string, int>? regionRefs = null,
        ImmutableDictionary<Digest, long>? committed = null,
        ImmutableDictionary<string, long>? lastWriters = null,
        ChainHashes? hashes = null,
        ImmutableDictionary<Digest, DroppedProposal>? dropped = null,
        Held? held = null,
        Transparency.NoteVerifierKey? logKey = null) =>
        new(
            Genesis,
            head ?? Head,
            descriptors ?? Descriptors,
            signerSet ?? SignerSet,
            regionRefs ?? RegionRefs,
            held?.Pending ?? Pending,
            committed ?? CommittedProposals,
            lastWriters ?? LastWriters,
            hashes ?? Hashes,
            dropped ?? Dropped,
            held?.Bytes ?? PendingBytes,
            held?.ByToken ?? PendingByToken,
            logKey ?? LogKey);

    private RegistryState ApplyProposal(ProposalAccepted accepted)
    {
        var proposal = accepted.Proposal;
        if (Pending.ContainsKey(proposal.Id))
        {
            throw new InvalidOperationException($"Proposal {proposal.Id} is already open.");
        }

        var open = new PendingProposal(proposal, accepted.StateRoot, accepted.AcceptedAt, []) { ProposedBy = accepted.ProposedBy };
        var byToken = accepted.ProposedBy is { } token ? PendingByToken.SetItem(token, PendingByToken.GetValueOrDefault(token) + 1) : PendingByToken;
        return With(held: new Held(Pending.Add(proposal.Id, open), PendingBytes + proposal.CanonicalBytes.Length, byToken));
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

        return With(held: new Held(Pending.SetItem(accepted.ProposalId, pending.With(accepted.Approval)), PendingBytes, PendingByToken));
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

        // Only the committed proposal leaves the open set here. Proposals that can no longer commit stay, visible as
        // expired or stale, until the writer drops them after their retention with a proposals_dropped event.
        var writers = LastWriters.ToBuilder();
        foreach (var change in record.Proposal.Changes)
        {
            if (change.WrittenId is { } id)
            {
                writers[id] = record.Version;
            }
        }

        return With(
            head: record,
            lastWriters: writers.ToImmutable(),
            hashes: Hashes.Append(record.Hash),
            descriptors: transition.Tree,
            signerSet: transition.SignerSet,
            regionRefs: transition.RegionRefs,
            logKey: transition.LogKey,
            held: Without([record.ProposalId]),
            committed: CommittedProposals.SetItem(record.ProposalId, record.Version));
    }

    private RegistryState ApplyDrop(ProposalsDropped dropped)
    {
        if (dropped.Dropped.IsDefaultOrEmpty)
        {
            throw new InvalidOperationException("A proposals_dropped event must drop at least one proposal.");
        }

        var tombstones = Dropped.ToBuilder();
        var ids = new List<Digest>(dropped.Dropped.Length);
        foreach (var (id, because) in dropped.Dropped)
        {
            if (!Pending.TryGetValue(id, out var pending))
            {
                throw new InvalidOperationException($"Dropping proposal {id}, which is not open.");
            }

            // A drop may only remove what can never commit: replay re-checks it, so a log cannot drop a live proposal.
            var fits = because switch
            {
                ProposalStatus.Expired => dropped.DroppedAt >= pending.Proposal.ExpiresAt,
                ProposalStatus.Stale => ConflictOf(pending.Proposal) is not null,
                _ => false,
            };
            if (!fits || tombstones.ContainsKey(id))
            {
                throw new InvalidOperationException($"Dropping proposal {id} as {because.ToString().ToLowerInvariant()} at {dropped.DroppedAt}, which it is not.");
            }

            tombstones[id] = new DroppedProposal(id, because, dropped.DroppedAt, Version);
            ids.Add(id);
        }

        return With(dropped: tombstones.ToImmutable(), held: Without(ids));
    }

    // The open set without these ids (those not open are ignored), with its byte and per-token counts.
    private Held Without(IReadOnlyCollection<Digest> ids)
    {
        var pending = Pending;
        var bytes = PendingBytes;
        var byToken = PendingByToken;
        foreach (var id in ids)
        {
            if (!pending.TryGetValue(id, out var open))
            {
                continue;
            }

            pending = pending.Remove(id);
            bytes -= open.Proposal.CanonicalBytes.Length;
            if (open.ProposedBy is { } token)
            {
                var left = byToken.GetValueOrDefault(token) - 1;
                byToken = left > 0 ? byToken.SetItem(token, left) : byToken.Remove(token);
            }
        }

        return new Held(pending, bytes, byToken);
    }

    private sealed record Held(ImmutableDictionary<Digest, PendingProposal> Pending, long Bytes, ImmutableDictionary<string, int> ByToken);
}
