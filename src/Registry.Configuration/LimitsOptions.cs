using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[limits]: caps that protect the service (reloaded on SIGHUP where marked).</summary>
public sealed class LimitsOptions
{
    /// <summary>Request body cap in bytes (413 PayloadTooLarge above it).</summary>
    [ConfigurationKeyName("max_body_bytes")]
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>Requests in flight before answering 429 Busy (reloadable).</summary>
    [ConfigurationKeyName("max_inflight")]
    [Range(1, 1_000_000)]
    public int MaxInflight { get; init; } = 4096;

    /// <summary>Write commands queued for the writer before answering 429 Busy.</summary>
    [ConfigurationKeyName("write_queue")]
    [Range(1, 1_000_000)]
    public int WriteQueue { get; init; } = 8192;

    /// <summary>Per-request timeout in seconds for non-streaming requests (reloadable).</summary>
    [ConfigurationKeyName("request_timeout_seconds")]
    [Range(1, 3600)]
    public int RequestTimeoutSeconds { get; init; } = 30;

    /// <summary>Expiry given to proposals that name none (default 72 h).</summary>
    [ConfigurationKeyName("proposal_ttl_seconds")]
    [Range(1, 31_536_000)]
    public int ProposalTtlSeconds { get; init; } = 72 * 3600;

    /// <summary>Proposals held at once (open, stale or expired until dropped) before propose answers 429 Busy (reloadable).</summary>
    [ConfigurationKeyName("pending_max")]
    [Range(1, 10_000_000)]
    public int PendingMax { get; init; } = 10_000;

    /// <summary>Canonical bytes of all proposals held before propose answers 429 Busy (reloadable; default 256 MiB).</summary>
    [ConfigurationKeyName("pending_max_bytes")]
    [Range(1024, 1 << 30)]
    public int PendingMaxBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>Proposals held per proposing capability token id before propose answers 429 Busy (reloadable).</summary>
    [ConfigurationKeyName("pending_max_per_token")]
    [Range(1, 10_000_000)]
    public int PendingMaxPerToken { get; init; } = 1_000;

    /// <summary>
    /// Seconds a proposal that can no longer commit (expired, or stale) is kept before the writer drops it; its view
    /// then says <c>dropped</c> (reloadable; default 1 h).
    /// </summary>
    [ConfigurationKeyName("proposal_retention_seconds")]
    [Range(0, 31_536_000)]
    public int ProposalRetentionSeconds { get; init; } = 3600;
}
