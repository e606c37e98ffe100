using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Client.Verification;

/// <summary>The outcome of verifying a proof bundle: the descriptor and checkpoint when it verified, else why not. Immutable.</summary>
/// <param name="Error">Null when verified; otherwise the first check that failed.</param>
/// <param name="Descriptor">The verified descriptor (null on failure).</param>
/// <param name="Checkpoint">The verified checkpoint (null on failure).</param>
/// <param name="SignedAt">When the log last stated this checkpoint is its newest (its cosignature/v1 time; null on failure).</param>
public sealed record BundleVerification(string? Error, Descriptor? Descriptor, Checkpoint? Checkpoint, DateTimeOffset? SignedAt = null)
{
    /// <summary>True when every check passed.</summary>
    public bool Ok => Error is null;

    internal static BundleVerification Fail(string error) => new(error, null, null);
}
