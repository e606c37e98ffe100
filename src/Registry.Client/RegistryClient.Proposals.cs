using System.Net;
using System.Text.Json;
using Registry.Client.Internal;
using Registry.Client.Models;
using Registry.Client.Verification;
using Registry.Core;
using Registry.Core.Crypto;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Client;

public sealed partial class RegistryClient
{
    /// <summary>
    /// <c>POST /registry/proposals</c> with a complete proposal. The returned id must be <paramref name="proposal"/>'s
    /// own id (else <see cref="RegistryClientErrorCodes.ProposalMismatch"/>). Idempotent: the same document gives the same id.
    /// </summary>
    public async Task<ProposalReceipt> ProposeAsync(Proposal proposal, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var receipt = await ProposeAsync(proposal.CanonicalBytes.ToArray(), cancellationToken);
        return receipt.ProposalId == proposal.Id
            ? receipt
            : throw new RegistryClientException(RegistryClientErrorCodes.ProposalMismatch, $"The server accepted the proposal as {receipt.ProposalId}, but its id is {proposal.Id}.");
    }

    /// <summary>
    /// <c>POST /registry/proposals</c> with a proposal document as JSON. <c>registry</c>, <c>expires_at</c> and
    /// <c>note</c> may be omitted (the server fills them in); the receipt holds the completed document, and
    /// its id is checked against the digest the client computes from it.
    /// </summary>
    public async Task<ProposalReceipt> ProposeAsync(ReadOnlyMemory<byte> proposalJson, CancellationToken cancellationToken = default)
    {
        using var document = await SendJsonAsync(HttpMethod.Post, "/registry/proposals", proposalJson.ToArray(), true, HttpStatusCode.Accepted, cancellationToken);
        var receipt = Wire.Read("propose", () => ProposalReceipt.FromJson(document.RootElement));
        return receipt.Proposal.Id == receipt.ProposalId
            ? receipt
            : throw new RegistryClientException(RegistryClientErrorCodes.ProposalMismatch, $"The server named the proposal {receipt.ProposalId}, but the document it returned hashes to {receipt.Proposal.Id}.");
    }

    /// <summary><c>GET /registry/proposals[?status=]</c>: the open proposals (all of them, or those with <paramref name="status"/>).</summary>
    public async Task<IReadOnlyList<ProposalView>> ListProposalsAsync(ProposalStatus? status = null, CancellationToken cancellationToken = default)
    {
        var query = status is { } s ? "?status=" + Wire.StatusName(s) : string.Empty;
        using var document = await SendJsonAsync(HttpMethod.Get, "/registry/proposals" + query, null, false, HttpStatusCode.OK, cancellationToken);
        return Wire.Read("proposals", () => Wire.Member(document.RootElement, "proposals").EnumerateArray().Select(ProposalView.FromJson).ToList());
    }

    /// <summary>
    /// <c>GET /registry/proposals/{id}</c>: 404 NotFound when never accepted there; <see cref="RegistryClientErrorCodes.ProposalDropped"/>
    /// (HTTP 200, a view with no document) when the service has dropped it after its retention.
    /// </summary>
    public async Task<ProposalView> GetProposalAsync(Digest proposalId, CancellationToken cancellationToken = default)
    {
        using var document = await SendJsonAsync(HttpMethod.Get, $"/registry/proposals/{proposalId}", null, false, HttpStatusCode.OK, cancellationToken);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == "dropped")
        {
            var (at, because, version) = Wire.Read("proposal", () =>
            {
                var dropped = Wire.Member(root, "dropped");
                return (Wire.String(dropped, "at"), Wire.String(dropped, "because"), Wire.Long(dropped, "version"));
            });
            throw new RegistryClientException(
                RegistryClientErrorCodes.ProposalDropped,
                $"Proposal {proposalId} was dropped at {at} (HEAD version {version}) because it was {because}; its document and approvals are gone: propose it again.",
                (int)HttpStatusCode.OK);
        }

        return Wire.Read("proposal", () => ProposalView.FromJson(root));
    }

    /// <summary><c>POST /registry/approvals/{id}</c> with an approval signed elsewhere (see <see cref="ApprovalSigner"/>).</summary>
    public async Task<ApprovalReceipt> ApproveAsync(Digest proposalId, Approval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var writer = new CanonicalJsonWriter();
        approval.WriteTo(writer);
        using var document = await SendJsonAsync(HttpMethod.Post, $"/registry/approvals/{proposalId}", writer.ToArray(), true, HttpStatusCode.OK, cancellationToken);
        return Wire.Read("approve", () => ApprovalReceipt.FromJson(document.RootElement));
    }

    /// <summary>
    /// Fetches the proposal, recomputes its id from the document, signs locally with <paramref name="key"/> and
    /// posts the approval. Refuses (<see cref="RegistryClientErrorCodes.ProposalMismatch"/>, nothing signed) when
    /// the server's id is not the document's digest. The key never leaves the process.
    /// </summary>
    public async Task<ApprovalReceipt> SignAndApproveAsync(Digest proposalId, string signerId, Ed25519SecretKey key, CancellationToken cancellationToken = default)
    {
        var view = await GetProposalAsync(proposalId, cancellationToken);
        if (view.ProposalId != proposalId)
        {
            throw new RegistryClientException(RegistryClientErrorCodes.ProposalMismatch, $"Asked for proposal {proposalId}, the server answered with {view.ProposalId}.");
        }

        var approval = ApprovalSigner.Sign(view, signerId, key);
        return await ApproveAsync(proposalId, approval, cancellationToken);
    }

    /// <summary><c>POST /registry/commit/{id}</c> (201; a retry returns the same version).</summary>
    public async Task<CommitReceipt> CommitAsync(Digest proposalId, CancellationToken cancellationToken = default)
    {
        using var document = await SendJsonAsync(HttpMethod.Post, $"/registry/commit/{proposalId}", null, true, HttpStatusCode.Created, cancellationToken);
        return Wire.Read("commit", () => CommitReceipt.FromJson(document.RootElement));
    }

    /// <summary>
    /// <c>POST /registry/commits</c>: a pre-signed submission, the complete <paramref name="proposal"/> with its
    /// <paramref name="approvals"/> (made locally with <see cref="ApprovalSigner"/> or received from signers), decided
    /// and made durable by the server as one append. Idempotent: a retry returns the same version and hash.
    /// </summary>
    public Task<CommitReceipt> SubmitAsync(Proposal proposal, IEnumerable<Approval> approvals, CancellationToken cancellationToken = default) =>
        SubmitAsync(new PreSignedSubmission(proposal, approvals), cancellationToken);

    /// <summary>
    /// <c>POST /registry/commits</c> with <paramref name="submission"/>'s body (<see cref="PreSignedSubmission.CanonicalBytes"/>).
    /// Idempotent: a retry returns the same version and hash.
    /// </summary>
    public async Task<CommitReceipt> SubmitAsync(PreSignedSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        using var document = await SendJsonAsync(HttpMethod.Post, "/registry/commits", submission.ToArray(), true, HttpStatusCode.Created, cancellationToken);
        return Wire.Read("submit", () => CommitReceipt.FromJson(document.RootElement));
    }

    /// <summary>Reads a proposal document from JSON the way the server will, mapping format errors to <see cref="RegistryClientException"/> (code Malformed or InvalidDescriptor).</summary>
    public static Proposal ParseProposal(ReadOnlyMemory<byte> json)
    {
        try
        {
            return Proposal.FromCanonicalBytes(json);
        }
        catch (RegistryFormatException ex)
        {
            throw Wire.FromFormat(ex);
        }
        catch (CanonicalJsonException ex)
        {
            throw new RegistryClientException(nameof(RegistryErrorCode.Malformed), ex.Message, innerException: ex);
        }
    }
}
