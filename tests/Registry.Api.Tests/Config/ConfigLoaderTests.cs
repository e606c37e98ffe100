using Registry.Api.Config;
using Registry.Configuration;

namespace Registry.Api.Tests.Config;

/// <summary>
/// The service's loader in process: the file (by --config or RON_CONFIG) under the address variables under the
/// flags, and a file that is not TOML refused with file:line:column. (SVCR_* variables are covered with the
/// shared layer in Registry.Configuration.Tests; these tests set no process variables, so the service processes
/// other tests start inherit none.)
/// </summary>
public sealed class ConfigLoaderTests
{
    private static string WriteConfig(string toml)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-loader-").FullName, "svc-registry.toml");
        File.WriteAllText(path, toml);
        return path;
    }

    [Fact]
    public void Load_FileThenAddressVariablesThenFlags_LaterLayerWins()
    {
        var path = WriteConfig("[service]\ndata_dir = \"/from/file\"\nread_only = false\n\n[listen]\napi_addr = \"127.0.0.1:1111\"\nmetrics_addr = \"127.0.0.1:2222\"\n");
        var environment = new Dictionary<string, string> { ["RON_CONFIG"] = path, ["REGISTRY_ADDR"] = "0.0.0.0:3333" };

        var loaded = ConfigLoader.Load(["--data-dir", "/from/flag", "--read-only", "--check-config"], name => environment.GetValueOrDefault(name));

        Assert.Equal((path, false, true), (loaded.ConfigPath, loaded.DevMode, loaded.CheckOnly));
        Assert.Equal(("/from/flag", true), (loaded.Options.Service.DataDir, loaded.Options.Service.ReadOnly));
        Assert.Equal(("0.0.0.0:3333", "127.0.0.1:2222"), (loaded.Options.Listen.ApiAddr, loaded.Options.Listen.MetricsAddr));
    }

    [Fact]
    public void Load_NoFile_IsDevModeWithBuiltInDefaults()
    {
        var loaded = ConfigLoader.Load([], _ => null);

        Assert.True(loaded.DevMode);
        Assert.Equal(new RegistryOptions().Limits.MaxInflight, loaded.Options.Limits.MaxInflight);
    }

    [Fact]
    public void Load_FileNotToml_RefusedNamingFileLineAndColumn()
    {
        var path = WriteConfig("[limits]\nmax_inflight = 10\nwrite_queue = 5 5\n");

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--config", path], _ => null));

        Assert.StartsWith($"invalid configuration:\n  {Path.GetFullPath(path)}:3:17: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileValueOverriddenByAFlag_IsStillCheckedAtItsLine()
    {
        var path = WriteConfig("[listen]\nuds_only = 5\n");

        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--config", path, "--uds-only"], _ => null));

        // The file's own value is checked too, although the flag overrides it.
        Assert.Equal([$"{path}:2:1: 'listen.uds_only' must be a boolean (true or false), found an integer (5)"], error.Problems.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--config")]
    public void Load_UnknownOrIncompleteFlag_Refused(string flag)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load([flag], _ => null));

        Assert.Contains($"unknown or incomplete flag '{flag}'", error.Message, StringComparison.Ordinal);
    }
}
