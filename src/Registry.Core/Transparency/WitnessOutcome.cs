namespace Registry.Core.Transparency;

/// <summary>What a witness does with an add-checkpoint request.</summary>
public enum WitnessOutcome
{
    /// <summary>Every check passed: persist the checkpoint, then cosign it (200).</summary>
    Cosign,

    /// <summary>The body or the checkpoint is malformed, or the old size exceeds the checkpoint's size (400).</summary>
    BadRequest,

    /// <summary>No signature of the origin's configured log key verifies (403).</summary>
    NotSigned,

    /// <summary>The witness is not configured for the checkpoint's origin (404).</summary>
    UnknownOrigin,

    /// <summary>The old size is not the stored size, or the same size has another root (409, with the stored size).</summary>
    Conflict,

    /// <summary>The consistency proof from the stored checkpoint does not verify (422).</summary>
    InconsistentProof,
}
