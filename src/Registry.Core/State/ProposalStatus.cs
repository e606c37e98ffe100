namespace Registry.Core.State;

/// <summary>Where a proposal stands, as reported by <c>GET /registry/proposals</c>.</summary>
public enum ProposalStatus
{
    /// <summary>Open; quorum not reached yet.</summary>
    Pending,

    /// <summary>Open; quorum reached, ready to commit.</summary>
    Approved,

    /// <summary>
    /// A commit after its base wrote an id in its scope (409 ScopeConflict), or the signer set changed (409
    /// SignerSetChanged): it can never commit. An unrelated commit never makes a proposal stale.
    /// </summary>
    Stale,

    /// <summary>Past <c>expires_at</c> (410 ProposalExpired).</summary>
    Expired,

    /// <summary>Committed as a version.</summary>
    Committed,

    /// <summary>
    /// Expired or stale, then dropped once <c>limits.proposal_retention_seconds</c> had passed (a
    /// <c>proposals_dropped</c> event): only its id, why and when remain.
    /// </summary>
    Dropped,
}
