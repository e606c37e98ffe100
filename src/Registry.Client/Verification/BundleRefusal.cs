namespace Registry.Client.Verification;

/// <summary>Why a proof bundle or checkpoint was refused (<see cref="BundleVerification.Reason"/>); stable names for programs to branch on.</summary>
public enum BundleRefusal
{
    /// <summary>Not refused: every check passed.</summary>
    None,

    /// <summary>The bytes are not a proof bundle in its canonical form.</summary>
    NotABundle,

    /// <summary>The checkpoint is not a signed note, or no signature of the pinned log key verifies over it.</summary>
    BadLogSignature,

    /// <summary>The log's own timestamped freshness line (cosignature/v1 by the log key) is missing or does not verify.</summary>
    BadFreshness,

    /// <summary>The note is not a checkpoint of the expected registry (origin).</summary>
    WrongOrigin,

    /// <summary>The bundle's record is not the head of the checkpoint's tree.</summary>
    NotHead,

    /// <summary>The record's inclusion proof in the checkpoint's tree does not verify.</summary>
    NotIncluded,

    /// <summary>The descriptor's state proof does not verify under the record's state root.</summary>
    NotInState,

    /// <summary>Fewer than the witness policy's threshold of its witnesses cosigned the checkpoint.</summary>
    TooFewCosignatures,

    /// <summary>The checkpoint is smaller than the newest trusted one.</summary>
    Rollback,

    /// <summary>The checkpoint has the trusted size but another root.</summary>
    SplitView,

    /// <summary>The checkpoint is larger than the trusted one but brings no consistency proof from its size.</summary>
    NoConsistencyProof,

    /// <summary>The consistency proof from the trusted checkpoint does not verify: the log rewrote its history.</summary>
    Inconsistent,

    /// <summary>
    /// The checkpoint is signed by a key other than the one the verifier holds, and no follower has verified the chain
    /// far enough to know whether a <c>set_log_key</c> commit put that key in force (docs/PROTOCOL.md §12.14).
    /// </summary>
    LogKeyNotFollowed,
}
