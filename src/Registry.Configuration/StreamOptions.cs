using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[stream]: Server-Sent Events and bus subscribers.</summary>
public sealed class StreamOptions
{
    /// <summary>Seconds between <c>: heartbeat</c> comments.</summary>
    [ConfigurationKeyName("heartbeat_seconds")]
    [Range(1, 3600)]
    public int HeartbeatSeconds { get; init; } = 15;

    /// <summary>Commits buffered per subscriber before it is told <c>lagged</c> and dropped.</summary>
    [ConfigurationKeyName("client_buffer")]
    [Range(1, 1_000_000)]
    public int ClientBuffer { get; init; } = 4096;
}
