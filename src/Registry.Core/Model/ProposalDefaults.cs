namespace Registry.Core.Model;

/// <summary>Server-side values for proposal members a request may omit.</summary>
/// <param name="Registry">The deployment's registry id.</param>
/// <param name="ExpiresAt">The expiry given to a proposal that names none (now + the configured TTL).</param>
/// <param name="SignerSetVersion">The version of the signer set in force, for a proposal that names none.</param>
public sealed record ProposalDefaults(string Registry, Timestamp ExpiresAt, long SignerSetVersion);
