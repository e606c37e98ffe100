using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary>
/// <c>POST /registry/proposals</c> (202): the proposal as the server completed it, its id and the state root it
/// would produce. The client has already checked that <see cref="ProposalId"/> is the digest of <see cref="Proposal"/>.
/// </summary>
/// <param name="ProposalId">The proposal id.</param>
/// <param name="Proposal">The full proposal document (server defaults filled in).</param>
/// <param name="StateRoot">The state root committing it would produce.</param>
/// <param name="ExpiresAt">When it expires.</param>
public sealed record ProposalReceipt(Digest ProposalId, Proposal Proposal, Digest StateRoot, Timestamp ExpiresAt)
{
    internal static ProposalReceipt FromJson(JsonElement e) => new(
        Wire.Digest(e, "proposal_id"),
        Proposal.FromJson(Wire.Member(e, "proposal")),
        Wire.Digest(e, "state_root"),
        Wire.Timestamp(e, "expires_at"));
}
