namespace Registry.Client;

/// <summary>
/// The codes of <see cref="RegistryClientException"/> that the client itself raises. The service's own codes
/// are the names of <see cref="Registry.Core.RegistryErrorCode"/>.
/// </summary>
public static class RegistryClientErrorCodes
{
    /// <summary>No response: connection refused or reset, DNS failure, or the request timed out.</summary>
    public const string Unreachable = "Unreachable";

    /// <summary>The response could not be read as the documented JSON (or an error came without a problem body).</summary>
    public const string InvalidResponse = "InvalidResponse";

    /// <summary>The <c>proposal_id</c> the server named is not the digest of the proposal document it sent: nothing is signed.</summary>
    public const string ProposalMismatch = "ProposalMismatch";

    /// <summary>The server's chain does not continue the one already seen (a reset, a restore to an older state, or another registry).</summary>
    public const string Diverged = "Diverged";

    /// <summary>The stream subscriber fell behind its buffer and was disconnected (<c>event: lagged</c>); resume from the last id.</summary>
    public const string Lagged = "Lagged";

    /// <summary>
    /// The proposal was accepted once but the service has dropped it (expired or stale, past
    /// <c>limits.proposal_retention_seconds</c>): its document and approvals are gone; the message says why and when.
    /// </summary>
    public const string ProposalDropped = "ProposalDropped";
}
