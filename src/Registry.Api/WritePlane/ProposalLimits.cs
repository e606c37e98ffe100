using Registry.Configuration;
using Registry.Core.State;

namespace Registry.Api.WritePlane;

/// <summary>
/// The writer's bounds on proposals held (<c>limits.pending_max</c>, <c>pending_max_bytes</c>,
/// <c>pending_max_per_token</c>) and how long one that can no longer commit is kept
/// (<c>limits.proposal_retention_seconds</c>). Read by the writer on every batch; SIGHUP replaces them.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class ProposalLimits
{
    private Snapshot _current;

    /// <summary>Creates the limits from <c>[limits]</c>.</summary>
    public ProposalLimits(LimitsOptions options) => _current = From(options);

    /// <summary>The bounds in force.</summary>
    public PendingLimits Pending => Volatile.Read(ref _current).Pending;

    /// <summary>How long an expired or stale proposal is kept before it is dropped.</summary>
    public TimeSpan Retention => Volatile.Read(ref _current).Retention;

    /// <summary>Applies reloaded values.</summary>
    public void Update(LimitsOptions options) => Volatile.Write(ref _current, From(options));

    private static Snapshot From(LimitsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Snapshot(
            new PendingLimits(options.PendingMax, options.PendingMaxBytes, options.PendingMaxPerToken),
            TimeSpan.FromSeconds(options.ProposalRetentionSeconds));
    }

    private sealed record Snapshot(PendingLimits Pending, TimeSpan Retention);
}
