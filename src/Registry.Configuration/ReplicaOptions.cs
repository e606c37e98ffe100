using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[replica]: follow a primary (or another replica) instead of accepting writes (SPEC §9, flag <c>--follow URL</c>).</summary>
public sealed class ReplicaOptions
{
    /// <summary>
    /// The API listener URL of the node to follow (<c>http://host:port</c> or <c>https://…</c>). Empty (the default): this
    /// node is a primary. Set: the node is a replica that verifies and stores every commit it reads from there.
    /// </summary>
    [ConfigurationKeyName("primary")]
    public string Primary { get; init; } = string.Empty;

    /// <summary>
    /// How long <c>GET /registry/stream</c> on a replica waits for the replica to reach a client's <c>Last-Event-ID</c>
    /// that is past its HEAD before answering 503 NotReady (the client retries).
    /// </summary>
    [ConfigurationKeyName("resume_wait_seconds")]
    [Range(0, 300)]
    public int ResumeWaitSeconds { get; init; } = 10;

    /// <summary>The most seconds between reconnection attempts to the followed node (the backoff doubles from 0.1 s up to it).</summary>
    [ConfigurationKeyName("reconnect_max_seconds")]
    [Range(1, 300)]
    public int ReconnectMaxSeconds { get; init; } = 5;

    /// <summary><see cref="Bootstrap"/>: verify the whole history from genesis (the default).</summary>
    public const string FromGenesis = "genesis";

    /// <summary><see cref="Bootstrap"/>: start from the followed node's newest checkpoint (docs/REPLICATION.md).</summary>
    public const string FromCheckpoint = "checkpoint";

    /// <summary>
    /// How a replica whose own data is empty starts: <c>"genesis"</c> reads and fully verifies every record from
    /// genesis; <c>"checkpoint"</c> installs the followed node's newest checkpoint after checking it against the
    /// chain's hash links and that version's state root (no signature of records up to it is checked; what that
    /// trusts is in docs/REPLICATION.md), then verifies everything after it in full. Flag <c>--bootstrap</c>.
    /// </summary>
    [ConfigurationKeyName("bootstrap")]
    public string Bootstrap { get; init; } = FromGenesis;

    /// <summary>True when this node follows another.</summary>
    public bool Following => Primary.Length > 0;

    /// <summary>The followed node's URL, or a problem naming the key when it is not an absolute http(s) URL.</summary>
    /// <returns>Null when valid (or empty), else the problem.</returns>
    public string? Problem() =>
        Bootstrap is not (FromGenesis or FromCheckpoint)
            ? $"'replica.bootstrap' must be \"{FromGenesis}\" or \"{FromCheckpoint}\", got '{Bootstrap}'"
            : !Following || (Uri.TryCreate(Primary, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0)
            ? null
            : $"'replica.primary' must be an absolute http:// or https:// URL of the node to follow (no query), got '{Primary}'";
}
