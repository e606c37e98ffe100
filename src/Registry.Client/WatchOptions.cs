namespace Registry.Client;

/// <summary>How <see cref="RegistryClient.WatchAsync"/> reconnects.</summary>
public sealed class WatchOptions
{
    /// <summary>The first reconnection delay; it doubles after each failed attempt (with jitter) up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between reconnection attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection that delivers nothing, not even the server's 15 s heartbeat comment, for this long is
    /// considered dead and replaced.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Records per <c>/registry/log</c> page when catching up (the server allows at most 1000).</summary>
    public int LogPageSize { get; init; } = 1000;

    /// <summary>
    /// Called with the signed note of each <c>event: checkpoint</c> frame of the stream (docs/API.md "Stream"): the
    /// transparency log's checkpoint with every cosignature it had, sent after the commit of its head. Called on the
    /// watcher's own task, possibly before the consumer has taken that commit; verify it with
    /// <see cref="Registry.Core.Transparency.SignedNote.VerifiedBy"/> and a <c>WitnessPolicy</c>. Null: ignored.
    /// </summary>
    public Action<Registry.Core.Transparency.SignedNote>? OnCheckpoint { get; init; }

    /// <summary>Called before each reconnection with the attempt number and the error that ended the last one (for logging).</summary>
    public Action<int, Exception>? OnReconnect { get; init; }
}
