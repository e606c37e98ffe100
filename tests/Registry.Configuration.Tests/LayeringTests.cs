using Microsoft.Extensions.Configuration;
using Registry.Configuration.Tests.Fixtures;
using Registry.Configuration.Toml;

namespace Registry.Configuration.Tests;

/// <summary>
/// The service's layering: the TOML file first, then environment variables (SVCR_SECTION__KEY) and flags over
/// it, bound with ConfigurationBinder; later layers win per key, and only what the file still supplies points
/// back into it. (The tests that set variables live in this one class, so they never run side by side.)
/// </summary>
public sealed class LayeringTests
{
    [Fact]
    public void Bind_LayersOverTomlFile_LaterLayersWinPerKey()
    {
        var path = SampleDocuments.WriteTempFile(SampleDocuments.Registry);
        using var environment = new EnvironmentScope(("SVCR_SERVER__TLS", "false"), ("SVCR_SERVER__PORT", "7000"), ("SVCR_PEERS__0__WEIGHT", "7"));
        var configuration = new ConfigurationBuilder()
            .AddTomlFile(path)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["store:data_dir"] = "/srv/override", ["server:port"] = "6000" })
            .AddEnvironmentVariables("SVCR_")
            .AddCommandLine(["--server:port=9443", "--log_level=Debug"])
            .Build();

        var options = configuration.Get<SampleRegistryOptions>()!;

        Assert.Equal(9443, options.Server.Port);
        Assert.False(options.Server.Tls);
        Assert.Equal(SampleLogLevel.Debug, options.LogLevel);
        Assert.Equal("/srv/override", options.Store.DataDir);
        Assert.Equal(("alpha", 7), (options.Peers[0].Name, options.Peers[0].Weight));
        Assert.Equal(0.25, options.Store.CheckpointRatio);
        Assert.Equal("gold", options.Labels["tier"]);

        Assert.True(configuration.TryGetTomlEntry("store:checkpoint_ratio", out var entry));
        Assert.Equal((path, 14, 1), (entry.SourceName, entry.Line, entry.Column));
        Assert.False(configuration.TryGetTomlEntry("server:port", out _));
        Assert.False(configuration.TryGetTomlEntry("server:tls", out _));
    }

    [Fact]
    public void RegistryOptions_FileThenEnvironmentThenFlags_LaterWinsAndEachSourceIsNamed()
    {
        var path = SampleDocuments.WriteTempFile("[limits]\nmax_inflight = 10\nwrite_queue = 20\nmax_body_bytes = 4096\n\n[service]\nread_only = true\n");
        using var environment = new EnvironmentScope(("SVCR_LIMITS__WRITE_QUEUE", "30"), ("SVCR_LIMITS__MAX_BODY_BYTES", "8192"));
        var configuration = RegistryConfiguration.Build(new ConfigurationBuilder()
            .AddTomlFile(path)
            .AddEnvironmentVariables(RegistryConfiguration.EnvironmentPrefix)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["limits:max_body_bytes"] = "16384" }));

        var options = RegistryConfiguration.Bind(configuration);

        Assert.Equal((10, 30, 16384, true), (options.Limits.MaxInflight, options.Limits.WriteQueue, options.Limits.MaxBodyBytes, options.Service.ReadOnly));
        Assert.Equal(new LimitsOptions().RequestTimeoutSeconds, options.Limits.RequestTimeoutSeconds);
        Assert.Equal($"{path}:2:1", RegistryConfiguration.SourceOf(configuration, "limits:max_inflight"));
        Assert.Equal("env SVCR_LIMITS__WRITE_QUEUE", RegistryConfiguration.SourceOf(configuration, "limits:write_queue"));
        Assert.Equal("flag or environment override", RegistryConfiguration.SourceOf(configuration, "limits:max_body_bytes"));
        Assert.Equal("default", RegistryConfiguration.SourceOf(configuration, "limits:request_timeout_seconds"));
    }

    [Fact]
    public void RegistryOptions_BadValuesInEveryLayer_EachNamedWithItsSource()
    {
        var path = SampleDocuments.WriteTempFile("[stream]\nheartbeat_seconds = 0\nclient_bufer = 5\n");
        using var environment = new EnvironmentScope(("SVCR_LIMITS__MAX_INFLITE", "5"), ("SVCR_STORAGE__CHECKPOINTS_KEPT", "many"), ("SVCR_STREAM__HEARTBEAT_SECONDS", "99999"));
        var configuration = RegistryConfiguration.Build(new ConfigurationBuilder()
            .AddTomlFile(path)
            .AddEnvironmentVariables(RegistryConfiguration.EnvironmentPrefix)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["service:amnesia"] = "maybe" }));

        var error = Assert.Throws<ConfigurationException>(() => RegistryConfiguration.Bind(configuration));

        Assert.Equal(
            [
                $"{path}:2:1: 'stream.heartbeat_seconds' = 0 is out of range 1..3600",
                $"{path}:3:1: unknown key 'stream.client_bufer' (did you mean 'client_buffer'?); [stream] accepts: heartbeat_seconds, client_buffer",
                "env SVCR_LIMITS__MAX_INFLITE: unknown key 'limits.max_inflite'; [limits] accepts: max_body_bytes, max_inflight, write_queue, request_timeout_seconds, proposal_ttl_seconds, pending_max, pending_max_bytes, pending_max_per_token, proposal_retention_seconds",
                "flag or environment override: 'service.amnesia' must be a boolean (true or false), found 'maybe'",
                "env SVCR_STORAGE__CHECKPOINTS_KEPT: 'storage.checkpoints_kept' must be an integer, found 'many'",
                "env SVCR_STREAM__HEARTBEAT_SECONDS: 'stream.heartbeat_seconds' = 99999 is out of range 1..3600",
            ],
            error.Problems.Select(p => p.ToString()));
        Assert.StartsWith("invalid configuration:\n  " + path + ":2:1: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryKey_SetByItsSvcrVariable_BindsToItsProperty()
    {
        var keys = OptionsSchema.Registry.Keys;
        using var environment = new EnvironmentScope([.. keys.Select(k => (RegistryConfiguration.VariableFor(k.Path), Convert.ToString(RegistryOptionsTests.OtherValue(k), System.Globalization.CultureInfo.InvariantCulture)!))]);
        var configuration = RegistryConfiguration.Build(new ConfigurationBuilder().AddEnvironmentVariables(RegistryConfiguration.EnvironmentPrefix));

        var options = RegistryConfiguration.Bind(configuration);

        foreach (var key in keys)
        {
            Assert.Equal(RegistryOptionsTests.OtherValue(key), RegistryOptionsTests.Read(options, key));
            Assert.Equal("env " + RegistryConfiguration.VariableFor(key.Path), RegistryConfiguration.SourceOf(configuration, key.Path));
        }
    }

    /// <summary>Sets process environment variables for one test and removes them after.</summary>
    private sealed class EnvironmentScope : IDisposable
    {
        private readonly (string Name, string Value)[] _variables;

        public EnvironmentScope(params (string Name, string Value)[] variables)
        {
            _variables = variables;
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, _) in _variables)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
