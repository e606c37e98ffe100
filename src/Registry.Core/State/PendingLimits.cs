namespace Registry.Core.State;

/// <summary>
/// The configured bounds on proposals held open (SPEC §2: past one, propose answers 429 <c>Busy</c> naming it). They
/// count every proposal the state holds, open, stale or expired until it is dropped, since each costs memory. The
/// bounds are checked when a proposal is decided, never on replay: events in the log are facts.
/// </summary>
/// <param name="MaxCount">At most this many proposals held (<c>limits.pending_max</c>).</param>
/// <param name="MaxBytes">At most this many canonical proposal bytes held in total (<c>limits.pending_max_bytes</c>).</param>
/// <param name="MaxPerToken">At most this many held per proposing capability token id (<c>limits.pending_max_per_token</c>).</param>
public sealed record PendingLimits(int MaxCount, long MaxBytes, int MaxPerToken)
{
    /// <summary>The built-in defaults (the configuration's).</summary>
    public static PendingLimits Default { get; } = new(10_000, 256L * 1024 * 1024, 1_000);
}
