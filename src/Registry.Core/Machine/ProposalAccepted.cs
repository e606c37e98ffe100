using Registry.Core.Model;

namespace Registry.Core.Machine;

/// <summary>A proposal was accepted and is open for approvals.</summary>
/// <param name="Proposal">The canonical proposal (its <c>Id</c> is the proposal id).</param>
/// <param name="StateRoot">The root the proposal would produce on its base.</param>
/// <param name="AcceptedAt">When the writer accepted it.</param>
/// <param name="ProposedBy">
/// The id of the capability token that proposed it (the <c>proposed_by</c> member of the event), or null for events
/// written before it was recorded. The per-token bound on open proposals counts by it, on replay as when live.
/// </param>
public sealed record ProposalAccepted(Proposal Proposal, Digest StateRoot, Timestamp AcceptedAt, string? ProposedBy = null) : RegistryEvent;
