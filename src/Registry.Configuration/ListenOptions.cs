using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[listen]: addresses (env <c>REGISTRY_ADDR</c>, <c>METRICS_ADDR</c>, <c>RON_BUS_SOCK</c> override them).</summary>
public sealed class ListenOptions
{
    /// <summary>API listener host:port.</summary>
    [ConfigurationKeyName("api_addr")]
    public string ApiAddr { get; init; } = "127.0.0.1:9444";

    /// <summary>Admin listener (health, readiness, version, metrics) host:port.</summary>
    [ConfigurationKeyName("metrics_addr")]
    public string MetricsAddr { get; init; } = "127.0.0.1:9909";

    /// <summary>Optional Unix socket for the API.</summary>
    [ConfigurationKeyName("uds_path")]
    public string UdsPath { get; init; } = string.Empty;

    /// <summary>Unix socket for the admin listener when <see cref="UdsOnly"/> is set (default: uds_path + ".admin").</summary>
    [ConfigurationKeyName("admin_uds_path")]
    public string AdminUdsPath { get; init; } = string.Empty;

    /// <summary>Bind Unix sockets only, no TCP (flag <c>--uds-only</c>).</summary>
    [ConfigurationKeyName("uds_only")]
    public bool UdsOnly { get; init; }

    /// <summary>Serve the internal bus as NDJSON on this Unix socket.</summary>
    [ConfigurationKeyName("bus_sock")]
    public string BusSock { get; init; } = string.Empty;
}
