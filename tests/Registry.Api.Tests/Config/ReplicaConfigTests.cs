using Registry.Api.Config;
using Registry.Configuration;

namespace Registry.Api.Tests.Config;

/// <summary><c>replica.primary</c>: from the file, from <c>--follow URL</c> (which wins), and refused unless an absolute http(s) URL.</summary>
public sealed class ReplicaConfigTests
{
    [Fact]
    public void Load_FollowFlag_SetsReplicaPrimary_OverTheFile()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-replica-config-").FullName, "svc-registry.toml");
        File.WriteAllText(path, "[replica]\nprimary = \"http://10.0.0.1:9444\"\nresume_wait_seconds = 3\n");

        var fromFile = ConfigLoader.Load(["--config", path], _ => null).Options.Replica;
        Assert.Equal(("http://10.0.0.1:9444", 3, true), (fromFile.Primary, fromFile.ResumeWaitSeconds, fromFile.Following));

        var fromFlag = ConfigLoader.Load(["--config", path, "--follow", "https://primary.example:9444"], _ => null).Options.Replica;
        Assert.Equal("https://primary.example:9444", fromFlag.Primary);
    }

    [Fact]
    public void Load_NoReplicaKeys_IsAPrimary()
    {
        var replica = ConfigLoader.Load([], _ => null).Options.Replica;
        Assert.False(replica.Following);
        Assert.Equal((10, 5), (replica.ResumeWaitSeconds, replica.ReconnectMaxSeconds));
    }

    [Theory]
    [InlineData("10.0.0.1:9444")]
    [InlineData("ftp://10.0.0.1/")]
    [InlineData("http://10.0.0.1:9444/?x=1")]
    [InlineData("/relative")]
    public void Load_FollowNotAnAbsoluteHttpUrl_IsRefusedNamingTheKey(string url)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--follow", url], _ => null));
        Assert.Contains("'replica.primary'", error.Message, StringComparison.Ordinal);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FollowWithoutAUrl_IsAnIncompleteFlag()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--follow"], _ => null));
        Assert.Contains("'--follow'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Bootstrap_DefaultsToGenesis_FromFileAndFlag_FlagWinning()
    {
        Assert.Equal(ReplicaOptions.FromGenesis, ConfigLoader.Load([], _ => null).Options.Replica.Bootstrap);
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-replica-config-").FullName, "svc-registry.toml");
        File.WriteAllText(path, "[replica]\nbootstrap = \"checkpoint\"\n");
        Assert.Equal(ReplicaOptions.FromCheckpoint, ConfigLoader.Load(["--config", path], _ => null).Options.Replica.Bootstrap);
        Assert.Equal(ReplicaOptions.FromGenesis, ConfigLoader.Load(["--config", path, "--bootstrap", "genesis"], _ => null).Options.Replica.Bootstrap);
    }

    [Fact]
    public void Load_BootstrapNeitherGenesisNorCheckpoint_IsRefusedNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--bootstrap", "snapshot"], _ => null));
        Assert.Contains("'replica.bootstrap'", error.Message, StringComparison.Ordinal);
        Assert.Contains("snapshot", error.Message, StringComparison.Ordinal);
    }
}
