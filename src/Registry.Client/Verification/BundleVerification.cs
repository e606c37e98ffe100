using System.Collections.Immutable;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Client.Verification;

/// <summary>The outcome of verifying a proof bundle: the descriptor and checkpoint when it verified, else why not. Immutable.</summary>
/// <param name="Error">Null when verified; otherwise the first check that failed, for people.</param>
/// <param name="Descriptor">The verified descriptor (null on failure).</param>
/// <param name="Checkpoint">The verified checkpoint (null on failure).</param>
/// <param name="SignedAt">When the log last stated this checkpoint is its newest (its cosignature/v1 time; null on failure).</param>
public sealed record BundleVerification(string? Error, Descriptor? Descriptor, Checkpoint? Checkpoint, DateTimeOffset? SignedAt = null)
{
    /// <summary>True when every check passed.</summary>
    public bool Ok => Error is null;

    /// <summary>Which check failed (<see cref="BundleRefusal.None"/> when verified), for programs.</summary>
    public BundleRefusal Reason { get; init; }

    /// <summary>The names of the policy's witnesses whose cosignatures verified (empty without a policy).</summary>
    public ImmutableArray<string> Witnesses { get; init; } = [];

    internal static BundleVerification Fail(BundleRefusal reason, string error) => new(error, null, null) { Reason = reason };
}
