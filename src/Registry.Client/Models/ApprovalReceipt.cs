using System.Collections.Immutable;
using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Client.Models;

/// <summary><c>POST /registry/approvals/{id}</c> (200): the proposal's status and quorum after the approval. Immutable.</summary>
/// <param name="ProposalId">The proposal.</param>
/// <param name="Status">pending until the quorum is met, then approved.</param>
/// <param name="Approvals">Every approval accepted so far.</param>
/// <param name="Quorum">The quorum count.</param>
public sealed record ApprovalReceipt(Digest ProposalId, ProposalStatus Status, ImmutableArray<Approval> Approvals, QuorumStatus Quorum)
{
    internal static ApprovalReceipt FromJson(JsonElement e) => new(
        Wire.Digest(e, "proposal_id"),
        Wire.Status(e, "status"),
        Wire.Member(e, "approvals").EnumerateArray().Select(Approval.FromJson).ToImmutableArray(),
        QuorumStatus.FromJson(Wire.Member(e, "quorum")));
}
