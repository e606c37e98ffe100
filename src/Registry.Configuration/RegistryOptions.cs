using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>
/// The whole configuration (TOML sections; every key also settable as <c>SVCR_&lt;SECTION&gt;__&lt;KEY&gt;</c>).
/// Defaults are the documented dev-mode values; ops/config/svc-registry.toml lists every key.
/// </summary>
public sealed class RegistryOptions
{
    /// <summary>[service]</summary>
    [ConfigurationKeyName("service")]
    public ServiceOptions Service { get; init; } = new();

    /// <summary>[listen]</summary>
    [ConfigurationKeyName("listen")]
    public ListenOptions Listen { get; init; } = new();

    /// <summary>[tls]</summary>
    [ConfigurationKeyName("tls")]
    public TlsOptions Tls { get; init; } = new();

    /// <summary>[trust]</summary>
    [ConfigurationKeyName("trust")]
    public TrustOptions Trust { get; init; } = new();

    /// <summary>[tlog]</summary>
    [ConfigurationKeyName("tlog")]
    public TlogOptions Tlog { get; init; } = new();

    /// <summary>[storage]</summary>
    [ConfigurationKeyName("storage")]
    public StorageOptions Storage { get; init; } = new();

    /// <summary>[limits]</summary>
    [ConfigurationKeyName("limits")]
    public LimitsOptions Limits { get; init; } = new();

    /// <summary>[auth]</summary>
    [ConfigurationKeyName("auth")]
    public AuthOptions Auth { get; init; } = new();

    /// <summary>[stream]</summary>
    [ConfigurationKeyName("stream")]
    public StreamOptions Stream { get; init; } = new();

    /// <summary>[log]</summary>
    [ConfigurationKeyName("log")]
    public LogOptions Log { get; init; } = new();

    /// <summary>[ui]</summary>
    [ConfigurationKeyName("ui")]
    public UiOptions Ui { get; init; } = new();

    /// <summary>[replica]</summary>
    [ConfigurationKeyName("replica")]
    public ReplicaOptions Replica { get; init; } = new();

    /// <summary>[witness]</summary>
    [ConfigurationKeyName("witness")]
    public WitnessOptions Witness { get; init; } = new();
    /// <summary>[etcd]</summary>
    [ConfigurationKeyName("etcd")]
    public EtcdOptions Etcd { get; init; } = new();

    /// <summary>[chaos]</summary>
    [ConfigurationKeyName("chaos")]
    public ChaosOptions Chaos { get; init; } = new();
}
