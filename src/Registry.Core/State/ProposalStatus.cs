namespace Registry.Core.State;

/// <summary>Where a proposal stands, as reported by <c>GET /registry/proposals</c>.</summary>
public enum ProposalStatus
{
    /// <summary>Open; quorum not reached yet.</summary>
    Pending,

    /// <summary>Open; quorum reached, ready to commit.</summary>
    Approved,

    /// <summary>HEAD has moved past its base version; it can never commit (409 ChainMismatch).</summary>
    Stale,

    /// <summary>Past <c>expires_at</c> (410 ProposalExpired).</summary>
    Expired,

    /// <summary>Committed as a version.</summary>
    Committed,
}
