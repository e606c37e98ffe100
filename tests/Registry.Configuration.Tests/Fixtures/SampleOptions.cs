using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration.Tests.Fixtures;

// Stand-ins for the service's options (written later, elsewhere): snake_case keys through
// ConfigurationKeyName, nested sections, arrays, a list of tables, a dictionary and an enum.

internal sealed class SampleRegistryOptions
{
    [Required]
    [ConfigurationKeyName("service_name")]
    public string ServiceName { get; init; } = string.Empty;

    [ConfigurationKeyName("log_level")]
    public SampleLogLevel LogLevel { get; init; } = SampleLogLevel.Information;

    [ConfigurationKeyName("admin_keys")]
    public string[] AdminKeys { get; init; } = [];

    public SampleServerOptions Server { get; init; } = new();

    public SampleStoreOptions Store { get; init; } = new();

    public List<SamplePeerOptions> Peers { get; init; } = [];

    public Dictionary<string, string> Labels { get; init; } = [];
}

internal enum SampleLogLevel
{
    Trace,
    Debug,
    Information,
    Warning,
    Error,
}

internal sealed class SampleServerOptions
{
    [ConfigurationKeyName("listen_address")]
    public string ListenAddress { get; init; } = "127.0.0.1";

    [Range(1, 65535)]
    public int Port { get; init; } = 8080;

    public bool Tls { get; init; }

    [ConfigurationKeyName("max_body_bytes")]
    [Range(1L, 64L * 1024 * 1024)]
    public long MaxBodyBytes { get; init; } = 1 << 20;
}

internal sealed class SampleStoreOptions
{
    [Required]
    [ConfigurationKeyName("data_dir")]
    public string DataDir { get; init; } = string.Empty;

    [ConfigurationKeyName("checkpoint_ratio")]
    [Range(0.0, 1.0)]
    public double CheckpointRatio { get; init; } = 0.5;

    [ConfigurationKeyName("segment_count")]
    public ushort? SegmentCount { get; init; }
}

internal sealed class SamplePeerOptions
{
    [Required]
    public string Name { get; init; } = string.Empty;

    public Uri? Url { get; init; }

    [Range(0, 100)]
    public int Weight { get; init; }
}
