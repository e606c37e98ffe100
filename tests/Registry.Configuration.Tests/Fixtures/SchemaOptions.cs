using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration.Tests.Fixtures;

// An options class with every kind of key the schema describes: strings, booleans, int/long/uint with and
// without [Range], a double with a range, an enum, and nested sections.

internal sealed class SchemaOptions
{
    [ConfigurationKeyName("service_name")]
    public string ServiceName { get; init; } = "registry";

    [ConfigurationKeyName("log_level")]
    public SampleLogLevel LogLevel { get; init; } = SampleLogLevel.Information;

    [ConfigurationKeyName("server")]
    public SchemaServerOptions Server { get; init; } = new();

    [ConfigurationKeyName("store")]
    public SchemaStoreOptions Store { get; init; } = new();
}

internal sealed class SchemaServerOptions
{
    [ConfigurationKeyName("listen_address")]
    public string ListenAddress { get; init; } = "127.0.0.1";

    [ConfigurationKeyName("port")]
    [Range(1, 65535)]
    public int Port { get; init; } = 8080;

    [ConfigurationKeyName("tls")]
    public bool Tls { get; init; }

    [ConfigurationKeyName("max_body_bytes")]
    [Range(1L, 64L * 1024 * 1024)]
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Computed, no setter: not a key.</summary>
    public bool Secure => Tls;
}

internal sealed class SchemaStoreOptions
{
    [ConfigurationKeyName("data_dir")]
    public string DataDir { get; init; } = "/d";

    [ConfigurationKeyName("checkpoint_ratio")]
    [Range(0.0, 1.0)]
    public double CheckpointRatio { get; init; } = 0.5;

    [ConfigurationKeyName("segment_count")]
    public uint SegmentCount { get; init; } = 16;
}
