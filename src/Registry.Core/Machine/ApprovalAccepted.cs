using Registry.Core.Model;

namespace Registry.Core.Machine;

/// <summary>A verified approval was added to an open proposal.</summary>
public sealed record ApprovalAccepted(Digest ProposalId, Approval Approval) : RegistryEvent;
