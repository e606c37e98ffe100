namespace Registry.Core.State;

/// <summary>
/// Why a proposal can no longer commit on this chain (rules 1-3 of the commit rule, SPEC §1): its base is not in
/// the chain (<see cref="RegistryErrorCode.ChainMismatch"/>), a later commit wrote an id in its scope
/// (<see cref="RegistryErrorCode.ScopeConflict"/>: <see cref="Id"/> and the <see cref="Version"/> that wrote it; with
/// scope <c>["*"]</c> the id is <c>*</c> and the version the first commit after the base), or the signer set changed
/// (<see cref="RegistryErrorCode.SignerSetChanged"/>: <see cref="Version"/> is the set now in force).
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record ProposalConflict(RegistryErrorCode Code, string Detail, string? Id, long Version);
