using Microsoft.Extensions.Configuration;
using Registry.Toml.Configuration;
using Registry.Toml.Tests.Fixtures;

namespace Registry.Toml.Tests.Configuration;

/// <summary>
/// The service's layering: the TOML file first, then in-memory defaults for tests, environment
/// variables (SVCR_SECTION__KEY) and command-line flags over it, bound with ConfigurationBinder.
/// </summary>
public sealed class TomlConfigurationLayeringTests
{
    [Fact]
    public void Bind_LayersOverTomlFile_LaterLayersWinPerKey()
    {
        var path = SampleDocuments.WriteTempFile(SampleDocuments.Registry);
        (string Name, string Value)[] environment =
        [
            ("SVCR_SERVER__TLS", "false"),
            ("SVCR_SERVER__PORT", "7000"),
            ("SVCR_PEERS__0__WEIGHT", "7"),
        ];
        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        try
        {
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

            // Only values the TOML file still supplies point back into it.
            Assert.True(configuration.TryGetTomlPosition("store:checkpoint_ratio", out var source, out var position));
            Assert.Equal((path, new TomlPosition(14, 1)), (source, position));
            Assert.False(configuration.TryGetTomlPosition("server:port", out _, out _));
            Assert.False(configuration.TryGetTomlPosition("server:tls", out _, out _));
        }
        finally
        {
            foreach (var (name, _) in environment)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }
}
