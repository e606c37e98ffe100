using System.Collections.Immutable;
using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Client.Models;

/// <summary><c>GET /registry/proposals/{id}</c>: a proposal, the approvals so far, its quorum and status. Immutable.</summary>
/// <param name="ProposalId">The id the server names (see <see cref="IdMatches"/>).</param>
/// <param name="Proposal">The proposal document, as parsed and re-canonicalised by the client.</param>
/// <param name="Approvals">Approvals accepted so far.</param>
/// <param name="Quorum">The quorum count.</param>
/// <param name="StateRoot">The state root committing it would produce.</param>
/// <param name="Status">pending, approved, stale, expired or committed.</param>
/// <param name="ExpiresAt">When it expires.</param>
/// <param name="Version">The version it became, once committed.</param>
/// <param name="Stale">
/// When <see cref="Status"/> is stale: why (<c>ScopeConflict</c> with the id and the version that wrote it, or
/// <c>SignerSetChanged</c> with the set now in force); otherwise null.
/// </param>
public sealed record ProposalView(Digest ProposalId, Proposal Proposal, ImmutableArray<Approval> Approvals, QuorumStatus Quorum, Digest StateRoot, ProposalStatus Status, Timestamp ExpiresAt, long? Version, ProposalConflict? Stale = null)
{
    /// <summary>True when <see cref="ProposalId"/> is the digest of the canonical <see cref="Proposal"/> the client recomputed.</summary>
    public bool IdMatches => Proposal.Id == ProposalId;

    internal static ProposalView FromJson(JsonElement e) => new(
        Wire.Digest(e, "proposal_id"),
        Proposal.FromJson(Wire.Member(e, "proposal")),
        Wire.Member(e, "approvals").EnumerateArray().Select(Approval.FromJson).ToImmutableArray(),
        QuorumStatus.FromJson(Wire.Member(e, "quorum")),
        Wire.Digest(e, "state_root"),
        Wire.Status(e, "status"),
        Wire.Timestamp(e, "expires_at"),
        Wire.OptionalLong(e, "version"),
        e.TryGetProperty("stale", out var stale) ? StaleFromJson(stale) : null);

    private static ProposalConflict StaleFromJson(JsonElement e) => new(
        Enum.Parse<Core.RegistryErrorCode>(Wire.String(e, "code")),
        Wire.String(e, "detail"),
        e.TryGetProperty("id", out var id) ? id.GetString() : null,
        Wire.Long(e, "version"));
}
