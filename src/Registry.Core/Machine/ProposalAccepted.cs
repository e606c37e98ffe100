using Registry.Core.Model;

namespace Registry.Core.Machine;

/// <summary>A proposal was accepted and is open for approvals.</summary>
/// <param name="Proposal">The canonical proposal (its <c>Id</c> is the proposal id).</param>
/// <param name="StateRoot">The root the proposal would produce on its base.</param>
/// <param name="AcceptedAt">When the writer accepted it.</param>
public sealed record ProposalAccepted(Proposal Proposal, Digest StateRoot, Timestamp AcceptedAt) : RegistryEvent;
