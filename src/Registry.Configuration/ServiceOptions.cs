using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[service]: identity, data directory and modes.</summary>
public sealed class ServiceOptions
{
    /// <summary>Must equal the trust roots' registry id.</summary>
    [ConfigurationKeyName("registry_id")]
    public string RegistryId { get; init; } = "ron-dev";

    /// <summary>Where the event log and checkpoints live (flag <c>--data-dir</c>). Empty: <c>./svc-registry-data</c>.</summary>
    [ConfigurationKeyName("data_dir")]
    public string DataDir { get; init; } = string.Empty;

    /// <summary>Keep everything in memory, write no file (flag <c>--amnesia</c>).</summary>
    [ConfigurationKeyName("amnesia")]
    public bool Amnesia { get; init; }

    /// <summary>Answer writes with 503 ReadOnly (flag <c>--read-only</c>).</summary>
    [ConfigurationKeyName("read_only")]
    public bool ReadOnly { get; init; }

    /// <summary>Seconds SIGTERM waits for in-flight work before exiting.</summary>
    [ConfigurationKeyName("stop_timeout_seconds")]
    [Range(1, 300)]
    public int StopTimeoutSeconds { get; init; } = 10;
}
