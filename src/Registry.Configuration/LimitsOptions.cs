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
}
