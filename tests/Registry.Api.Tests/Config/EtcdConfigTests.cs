using Registry.Api.Config;
using Registry.Configuration;

namespace Registry.Api.Tests.Config;

/// <summary>
/// <c>storage.backend</c> and <c>[etcd]</c>: from the file, <c>SVCR_</c> variables and <c>--etcd URL,URL,...</c> (which
/// sets the backend too); refused, naming the key, when the backend is unknown, the endpoints are missing or not
/// http(s) URLs, or the node would both follow a primary and the etcd log.
/// </summary>
public sealed class EtcdConfigTests
{
    [Fact]
    public void Load_EtcdFlag_SetsBackendAndEndpoints_OverTheFile()
    {
        var options = ConfigLoader.Load(["--config", File("[etcd]\nendpoints = \"http://10.0.0.9:2379\"\nlease_ttl_seconds = 7\n"), "--etcd", "http://127.0.0.1:2379,http://127.0.0.1:22379"], _ => null).Options;
        Assert.Equal(StorageOptions.EtcdBackend, options.Storage.Backend);
        Assert.Equal(["http://127.0.0.1:2379", "http://127.0.0.1:22379"], options.Etcd.EndpointList);
        Assert.Equal(7, options.Etcd.LeaseTtlSeconds);
    }

    [Fact]
    public void Load_NoBackendSet_IsFaster()
    {
        var options = ConfigLoader.Load([], _ => null).Options;
        Assert.Equal(StorageOptions.FasterBackend, options.Storage.Backend);
        Assert.Equal(5, options.Etcd.LeaseTtlSeconds);
        Assert.Equal(EtcdOptions.DefaultMaxRequestBytes, options.Etcd.MaxRequestBytes);
    }

    [Fact]
    public void Load_EtcdBackendWithoutEndpoints_RefusedNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--config", File("[storage]\nbackend = \"etcd\"\n")], _ => null));
        Assert.Contains("'etcd.endpoints'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:2379", "'etcd.endpoints'")]
    [InlineData("http://127.0.0.1:2379,ftp://x", "'etcd.endpoints'")]
    public void Load_EndpointNotAnHttpUrl_RefusedNamingTheKey(string endpoints, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--etcd", endpoints], _ => null));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownBackend_RefusedNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--config", File("[storage]\nbackend = \"zookeeper\"\n")], _ => null));
        Assert.Contains("'storage.backend'", error.Message, StringComparison.Ordinal);
        Assert.Contains("zookeeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LeaseTtlOutOfRange_RefusedNamingTheKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--config", File("[etcd]\nlease_ttl_seconds = 1\n"), "--etcd", "http://127.0.0.1:2379"], _ => null));
        Assert.Contains("etcd.lease_ttl_seconds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EtcdAndFollow_RefusedAsExclusive()
    {
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--etcd", "http://127.0.0.1:2379", "--follow", "http://127.0.0.1:9444"], _ => null));
        Assert.Contains("exclude each other", error.Message, StringComparison.Ordinal);
    }

    private static string File(string toml)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-etcd-config-").FullName, "svc-registry.toml");
        System.IO.File.WriteAllText(path, toml);
        return path;
    }
}
