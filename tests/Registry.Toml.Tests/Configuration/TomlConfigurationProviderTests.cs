using System.Text;
using Microsoft.Extensions.Configuration;
using Registry.Toml.Configuration;
using Registry.Toml.Tests.Fixtures;

namespace Registry.Toml.Tests.Configuration;

public sealed class TomlConfigurationProviderTests
{
    private static IConfigurationRoot FromText(string toml) =>
        new ConfigurationBuilder().AddTomlStream(new MemoryStream(Encoding.UTF8.GetBytes(toml)), "test.toml").Build();

    [Fact]
    public void AddTomlStream_SampleDocument_FlattensToConfigurationPaths()
    {
        var configuration = FromText(SampleDocuments.Registry);

        Assert.Equal("svc-registry", configuration["service_name"]);
        Assert.Equal("ed25519:def", configuration["admin_keys:1"]);
        Assert.Equal("8443", configuration["server:port"]);
        Assert.Equal("true", configuration["server:tls"]);
        Assert.Equal("1048576", configuration["server:max_body_bytes"]);
        Assert.Equal("0.25", configuration["store:checkpoint_ratio"]);
        Assert.Equal("beta", configuration["peers:1:name"]);
        Assert.Equal("gold", configuration["labels:tier"]);
        Assert.Equal("8443", configuration["SERVER:PORT"]);
    }

    [Fact]
    public void AddTomlStream_EmptyTableAndArray_AppearAsNullValues()
    {
        var data = FromText("list = []\n[empty]\n[full]\nx = 1").AsEnumerable().ToDictionary(p => p.Key, p => p.Value);

        Assert.True(data.ContainsKey("list") && data["list"] is null);
        Assert.True(data.ContainsKey("empty") && data["empty"] is null);
        Assert.Equal("1", data["full:x"]);
    }

    [Fact]
    public void Bind_EveryScalarKind_ReadsBackTypedValues()
    {
        var configuration = FromText("""
            hex = 0xff
            float = 6.626e-34
            infinity = -inf
            flag = false
            instant = 1979-05-27T00:32:00.999-07:00
            local = 1979-05-27T07:32:00.5
            day = 1979-05-27
            time = 07:32:00.25
            names = ["a", "b"]
            """);

        var bound = configuration.Get<ScalarKinds>()!;

        Assert.Equal(255, bound.Hex);
        Assert.Equal(6.626e-34, bound.Float);
        Assert.Equal(double.NegativeInfinity, bound.Infinity);
        Assert.False(bound.Flag);
        Assert.Equal(new DateTimeOffset(1979, 5, 27, 0, 32, 0, 999, TimeSpan.FromHours(-7)), bound.Instant);
        Assert.Equal(new DateTime(1979, 5, 27, 7, 32, 0, 500), bound.Local);
        Assert.Equal(new DateOnly(1979, 5, 27), bound.Day);
        Assert.Equal(new TimeOnly(7, 32, 0, 250), bound.Time);
        Assert.Equal(["a", "b"], bound.Names);
    }

    [Fact]
    public void Bind_SampleDocument_FillsOptionsThroughConfigurationKeyNames()
    {
        var options = FromText(SampleDocuments.Registry).Get<SampleRegistryOptions>()!;

        Assert.Equal("svc-registry", options.ServiceName);
        Assert.Equal(["ed25519:abc", "ed25519:def"], options.AdminKeys);
        Assert.Equal(("0.0.0.0", 8443, true, 1_048_576L), (options.Server.ListenAddress, options.Server.Port, options.Server.Tls, options.Server.MaxBodyBytes));
        Assert.Equal(("/var/lib/ron/registry", 0.25, (ushort?)16), (options.Store.DataDir, options.Store.CheckpointRatio, options.Store.SegmentCount));
        Assert.Equal(["alpha", "beta"], options.Peers.Select(p => p.Name));
        Assert.Equal(new Uri("https://beta.internal:8443/"), options.Peers[1].Url);
        Assert.Equal("eu-west", options.Labels["region"]);
    }

    [Theory]
    [InlineData("Port = 1\nport = 2", 2, 1, "key 'port' and key 'Port' (line 1, column 1) both map to configuration key 'port'")]
    [InlineData("\"a:b\" = 1\n[a]\nb = 2", 3, 1, "key 'a.b' and key '\"a:b\"' (line 1, column 1) both map to configuration key 'a:b'")]
    [InlineData("[Server]\nx = 1\n[server]\ny = 2", 3, 2, "both map to configuration key 'server'")]
    public void AddTomlStream_KeysCollidingInConfiguration_ThrowNamingBoth(string toml, int line, int column, string expected)
    {
        var error = Assert.Throws<TomlException>(() => FromText(toml));

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("test.toml", error.SourceName);
    }

    [Fact]
    public void AddTomlFile_ExistingFile_RecordsFileLineAndColumnPerKey()
    {
        var path = SampleDocuments.WriteTempFile(SampleDocuments.Registry);

        var configuration = new ConfigurationBuilder().AddTomlFile(path).Build();

        Assert.True(configuration.TryGetTomlPosition("server:port", out var source, out var position));
        Assert.Equal((path, new TomlPosition(8, 1)), (source, position));
        Assert.True(configuration.TryGetTomlPosition("peers:1", out _, out position));
        Assert.Equal(new TomlPosition(22, 1), position);
        Assert.True(configuration.TryGetTomlPosition("admin_keys:1", out _, out position));
        Assert.Equal(new TomlPosition(4, 30), position);
        Assert.True(configuration.TryGetTomlPosition("store", out _, out position));
        Assert.Equal(new TomlPosition(12, 2), position); // the key "store" inside "[store]"
        Assert.False(configuration.TryGetTomlPosition("server:missing", out _, out _));
    }

    [Fact]
    public void AddTomlFile_WithByteOrderMark_ReadsRawBytes()
    {
        var path = SampleDocuments.WriteTempFile(string.Empty);
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "a = 'é'"u8]);

        Assert.Equal("é", new ConfigurationBuilder().AddTomlFile(path).Build()["a"]);
    }

    [Fact]
    public void AddTomlFile_MissingOptionalFile_ContributesNothing()
    {
        var configuration = new ConfigurationBuilder().AddTomlFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".toml"), optional: true).Build();

        Assert.Empty(configuration.AsEnumerable());
        Assert.Null(Assert.IsType<TomlConfigurationProvider>(Assert.Single(configuration.Providers)).Document);
    }

    [Fact]
    public void AddTomlFile_MissingRequiredFile_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => new ConfigurationBuilder().AddTomlFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".toml")).Build());
    }

    [Fact]
    public void AddTomlFile_InvalidToml_FailsWithFileLineAndColumn()
    {
        var path = SampleDocuments.WriteTempFile("[server]\nport = 8443\nhost = \"a\" \"b\"\n");

        var error = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddTomlFile(path).Build());

        var toml = Assert.IsType<TomlException>(error.InnerException);
        Assert.Equal((path, 3, 12), (toml.SourceName, toml.Line, toml.Column));
        Assert.StartsWith($"{path}, line 3, column 12: expected a newline", toml.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_ChangedFile_ReplacesValuesAndPositions()
    {
        var path = SampleDocuments.WriteTempFile("[server]\nport = 1\n");
        var configuration = new ConfigurationBuilder().AddTomlFile(path).Build();

        File.WriteAllText(path, "# moved down\n\n[server]\nport = 2\n");
        configuration.Reload();

        Assert.Equal("2", configuration["server:port"]);
        Assert.True(configuration.TryGetTomlPosition("server:port", out _, out var position));
        Assert.Equal(new TomlPosition(4, 1), position);
    }

    [Fact]
    public void Reload_OptionalFileDeleted_ForgetsDocumentAndPositions()
    {
        var path = SampleDocuments.WriteTempFile("[server]\nport = 1\n");
        var configuration = new ConfigurationBuilder().AddTomlFile(path, optional: true).Build();
        var provider = Assert.IsType<TomlConfigurationProvider>(Assert.Single(configuration.Providers));
        Assert.NotNull(provider.Document);

        File.Delete(path);
        configuration.Reload();

        Assert.Null(configuration["server:port"]);
        Assert.Null(provider.Document);
        Assert.False(configuration.TryGetTomlPosition("server:port", out _, out _));
    }

    private sealed class ScalarKinds
    {
        public int Hex { get; init; }

        public double Float { get; init; }

        public double Infinity { get; init; }

        public bool Flag { get; init; } = true;

        public DateTimeOffset Instant { get; init; }

        public DateTime Local { get; init; }

        public DateOnly Day { get; init; }

        public TimeOnly Time { get; init; }

        public string[] Names { get; init; } = [];
    }
}
