// The shapes of the API's JSON bodies, for the OpenAPI document (GET /openapi/v1.json) only: the service
// writes and reads these bodies as canonical JSON itself (RFC 8785, docs/PROTOCOL.md), never through these
// types. Property names become snake_case through the OpenAPI document's JSON options (OpenApiSetup).
// Members that are whole domain documents (a descriptor, a proposal, a change) are left open ("any"):
// PROTOCOL.md is their contract.
using System.ComponentModel;
using System.Text.Json;

namespace Registry.Api.Endpoints.Schema;

/// <summary><c>GET /registry/head</c>.</summary>
internal sealed record HeadDocument(string? CommittedAt, long DescriptorCount, string Hash, string PrevHash, string Registry, long SignerSetVersion, string StateRoot, long Version);

/// <summary><c>GET /registry/{version}</c>: the commit record (the genesis record at 0) and every descriptor, sorted by id.</summary>
internal sealed record SnapshotDocument(JsonElement Commit, string Hash, IReadOnlyList<JsonElement> Items, long Version);

/// <summary>The Merkle inclusion proof of a descriptor.</summary>
internal sealed record InclusionProofDocument(string Key, IReadOnlyList<string> Siblings);

/// <summary><c>GET /registry/{version}/descriptors/{id}</c>.</summary>
internal sealed record DescriptorDocument(JsonElement Descriptor, string Hash, InclusionProofDocument Proof, string StateRoot, long Version);

/// <summary><c>GET /registry/{version}/descriptors?…</c>: one page of the descriptors that match, in id order.</summary>
internal sealed record DescriptorQueryDocument(IReadOnlyList<JsonElement> Descriptors, string Hash, long Matched, string? Next, long Version);

/// <summary>One Ed25519 approval of a proposal; also the body of <c>POST /registry/approvals/{id}</c>.</summary>
internal sealed record ApprovalDocument(string SignerId, string Algo, string Sig);

/// <summary>One commit record of <c>GET /registry/log</c>.</summary>
internal sealed record CommitRecordDocument(IReadOnlyList<ApprovalDocument> Approvals, string CommittedAt, string PrevHash, JsonElement Proposal, string ProposalId, long SignerSetVersion, string StateRoot, long Version);

/// <summary>Approvals counted against the threshold (<c>new_*</c> only for a <c>set_signers</c> proposal).</summary>
internal sealed record QuorumDocument(int Have, int M, int N, int? NewHave = null, int? NewM = null, int? NewN = null);

/// <summary>
/// A proposal view (<c>version</c> once committed). A proposal dropped after its retention has only
/// <c>dropped</c>, <c>proposal_id</c> and <c>status</c> ("dropped").
/// </summary>
internal sealed record ProposalViewDocument(
    IReadOnlyList<ApprovalDocument> Approvals,
    string ExpiresAt,
    JsonElement Proposal,
    string ProposalId,
    QuorumDocument Quorum,
    string StateRoot,
    [property: Description("pending, approved, stale, expired, committed or dropped")] string Status,
    long? Version = null,
    DroppedDocument? Dropped = null);

/// <summary>When and why a proposal that could no longer commit was dropped (docs/API.md, "Dropped proposals").</summary>
internal sealed record DroppedDocument(string At, [property: Description("expired or stale")] string Because, long Version);

/// <summary>The configured bound a 429 Busy ran into.</summary>
internal sealed record LimitDocument([property: Description("limits.pending_max, limits.pending_max_bytes or limits.pending_max_per_token")] string Key, long Value);

/// <summary><c>GET /registry/proposals</c>.</summary>
internal sealed record ProposalListDocument(IReadOnlyList<ProposalViewDocument> Proposals);

/// <summary>The body of <c>POST /registry/proposals</c>.</summary>
internal sealed record ProposeDocument(long BaseVersion, string BaseHash, IReadOnlyList<JsonElement> Changes, string? ExpiresAt = null, string? Note = null, string? Registry = null);

/// <summary>The body of <c>POST /registry/commits</c>: a complete proposal document and its approvals.</summary>
internal sealed record SubmissionDocument(JsonElement Proposal, IReadOnlyList<ApprovalDocument> Approvals);

/// <summary>202 from <c>POST /registry/proposals</c>.</summary>
internal sealed record ProposalAcceptedDocument(string ExpiresAt, JsonElement Proposal, string ProposalId, string StateRoot);

/// <summary>200 from <c>POST /registry/approvals/{id}</c>.</summary>
internal sealed record ApprovalResultDocument(IReadOnlyList<ApprovalDocument> Approvals, string ProposalId, QuorumDocument Quorum, string Status);

/// <summary>201 from <c>POST /registry/commit/{id}</c>.</summary>
internal sealed record CommittedDocument(string CommittedAt, string Hash, long Version);

/// <summary>Every error: RFC 9457 problem details with the SPEC's stable <c>code</c> and the request's <c>corr_id</c>.</summary>
internal sealed record ProblemDocument(
    [property: Description("Malformed, Unauthorized, Forbidden, NotFound, MethodNotAllowed, ChainMismatch, DuplicateApproval, ProposalExpired, PayloadTooLarge, UnsupportedMediaType, InvalidSig, UnknownSigner, QuorumFailed, InvalidDescriptor, DanglingReference, Busy, NotReady, ReadOnly or Internal (docs/API.md, Errors)")] string Code,
    string CorrId,
    string Detail,
    string Instance,
    int Status,
    string Title,
    string Type,
    LimitDocument? Limit = null);
