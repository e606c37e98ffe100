using Registry.Client.Models;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Client.Verification;

/// <summary>
/// Builds approvals locally: <c>sig = Ed25519(sk, "ron:svc-registry:v2\n" || proposal_id)</c> (SPEC §1), but only
/// over an id the client has recomputed from the proposal document itself, so a server cannot get a signature
/// for a document other than the one shown. Stateless; thread-safe.
/// </summary>
public static class ApprovalSigner
{
    /// <summary>
    /// Signs <paramref name="view"/>'s proposal. Throws <see cref="RegistryClientException"/>
    /// (<see cref="RegistryClientErrorCodes.ProposalMismatch"/>) without signing when the server's
    /// <c>proposal_id</c> is not the digest of the canonical proposal document.
    /// </summary>
    public static Approval Sign(ProposalView view, string signerId, Ed25519SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(view);
        return Sign(view.ProposalId, view.Proposal, signerId, key);
    }

    /// <summary>Signs <paramref name="proposal"/>, which the server calls <paramref name="claimedId"/>; refuses when they differ.</summary>
    public static Approval Sign(Digest claimedId, Proposal proposal, string signerId, Ed25519SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentException.ThrowIfNullOrEmpty(signerId);
        ArgumentNullException.ThrowIfNull(key);
        var recomputed = Digest.Compute(proposal.CanonicalBytes);
        if (recomputed != claimedId)
        {
            throw new RegistryClientException(
                RegistryClientErrorCodes.ProposalMismatch,
                $"Refusing to sign: the server calls the proposal {claimedId}, but its document hashes to {recomputed}.");
        }

        return Approval.Sign(signerId, key, recomputed);
    }
}
