using System.Collections.Immutable;
using Registry.Core.Model;

namespace Registry.Core.State;

/// <summary>An accepted, not yet committed proposal and the approvals collected so far (sorted by signer id).</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record PendingProposal(Proposal Proposal, Digest StateRoot, Timestamp AcceptedAt, ImmutableArray<Approval> Approvals)
{
    /// <summary>The proposal id.</summary>
    public Digest Id => Proposal.Id;

    /// <summary>The id of the capability token that proposed it, or null (not recorded, or a pre-signed submission).</summary>
    public string? ProposedBy { get; init; }

    /// <summary>True when <paramref name="signerId"/> has approved already.</summary>
    public bool HasApprovalFrom(string signerId) => Approvals.Any(a => a.SignerId == signerId);

    /// <summary>A copy with one more approval, keeping the signer-id order.</summary>
    public PendingProposal With(Approval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var index = 0;
        while (index < Approvals.Length && string.CompareOrdinal(Approvals[index].SignerId, approval.SignerId) < 0)
        {
            index++;
        }

        return this with { Approvals = Approvals.Insert(index, approval) };
    }

    /// <summary>The set_signers change's new set, when the proposal has one.</summary>
    public SignerSet? NewSignerSet => Proposal.Changes.OfType<SetSignersChange>().FirstOrDefault()?.SignerSet;
}
