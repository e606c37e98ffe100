namespace Registry.Core;

/// <summary>
/// The stable error codes of SPEC §2. Each maps to one HTTP status; the name is the wire <c>code</c>.
/// </summary>
public enum RegistryErrorCode
{
    /// <summary>400: bad JSON, unknown fields, bad base64, bad id, non-canonical number.</summary>
    Malformed,

    /// <summary>401: missing or bad token.</summary>
    Unauthorized,

    /// <summary>403: the token lacks the scope.</summary>
    Forbidden,

    /// <summary>404.</summary>
    NotFound,

    /// <summary>405.</summary>
    MethodNotAllowed,

    /// <summary>409: the proposal's base (<c>base_version</c>, <c>base_hash</c>) is not in this chain.</summary>
    ChainMismatch,

    /// <summary>409: a commit after the proposal's base wrote an id in its scope (the detail names the id and version).</summary>
    ScopeConflict,

    /// <summary>409: the signer set in force is not the proposal's <c>signer_set_version</c>.</summary>
    SignerSetChanged,

    /// <summary>409: the signer already approved this proposal.</summary>
    DuplicateApproval,

    /// <summary>410: the proposal's <c>expires_at</c> has passed.</summary>
    ProposalExpired,

    /// <summary>413: the body is larger than the cap.</summary>
    PayloadTooLarge,

    /// <summary>415: the body is not <c>application/json</c>.</summary>
    UnsupportedMediaType,

    /// <summary>421: a write sent to a replica; the detail names the primary.</summary>
    NotPrimary,

    /// <summary>422: the signature does not verify.</summary>
    InvalidSig,

    /// <summary>422: the signer is not in the signer set(s) that may approve.</summary>
    UnknownSigner,

    /// <summary>422: not enough distinct valid approvals to commit.</summary>
    QuorumFailed,

    /// <summary>422: a descriptor or signer set breaks the data model.</summary>
    InvalidDescriptor,

    /// <summary>422: a reference would not resolve in the resulting state.</summary>
    DanglingReference,

    /// <summary>429: write queue full or in-flight cap reached.</summary>
    Busy,

    /// <summary>503: not ready yet (or storage not writable).</summary>
    NotReady,

    /// <summary>503: the write plane is frozen (<c>--read-only</c>).</summary>
    ReadOnly,

    /// <summary>
    /// 409 (added last: the numbering of the codes above is kept): the service's backup directory (<c>storage.backup_dir</c>) cannot take a backup: it cannot be
    /// created, is not writable, or filled up while the backup was written. The detail names the path and the cause.
    /// </summary>
    BackupDirectoryUnusable,

    /// <summary>
    /// 409 (added after the codes above, whose numbering is kept): a stream was resumed from a version this node's
    /// chain does not reach (<c>Last-Event-ID</c> past HEAD on a primary, or on a replica that halted) — the client's
    /// position is not in this node's history (a restore to an older state, a fork, another registry). The detail names
    /// both versions. A replica that is only behind waits for the position, then answers 503 NotReady.
    /// </summary>
    NotInHistory,

    /// <summary>
    /// 409 (added after the codes above, whose numbering is kept): <c>ronctl replica promote</c> or <c>demote</c>
    /// (the admin listener's <c>/admin/replica/promote</c>, <c>/admin/replica/demote</c>) refused to change this node's
    /// role: the old primary still takes writes or cannot say, the replica is not in sync or halted, or the node already
    /// has another role. The problem's <c>reason</c> member names which; the detail says what the old primary answered.
    /// </summary>
    RoleChangeRefused,

    /// <summary>
    /// 422 (added after the codes above, whose numbering is kept): a C2SP tlog-witness add-checkpoint whose consistency
    /// proof does not verify from the checkpoint the witness last cosigned (the log may have rewritten its history).
    /// </summary>
    InconsistentProof,
}
