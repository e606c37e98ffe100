using Microsoft.Extensions.Configuration;
using Registry.Configuration.Tests.Fixtures;
using Registry.Configuration.Toml;
using Tomlyn;

namespace Registry.Configuration.Tests.Toml;

/// <summary>A TOML file read by Tomlyn as a configuration source: paths, values, positions, errors, reloads.</summary>
public sealed class TomlConfigurationProviderTests
{
    private static IConfigurationRoot FromText(string toml) =>
        new ConfigurationBuilder().AddTomlFile(SampleDocuments.WriteTempFile(toml)).Build();

    [Fact]
    public void AddTomlFile_SampleDocument_FlattensToConfigurationPaths()
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
    public void AddTomlFile_DottedKeysInlineTablesAndSubTablesOfArrays_LandOnTheirPaths()
    {
        var configuration = FromText("a.b.\"c d\" = 1\nt = { x = [1, { y = 4 }] }\n[[p]]\nq = 1\n[p.sub]\nr = 2\n[[p]]\nq = 3\nt = 5\n");

        Assert.Equal("1", configuration["a:b:c d"]);
        Assert.Equal(("1", "2", "3", "5"), (configuration["p:0:q"], configuration["p:0:sub:r"], configuration["p:1:q"], configuration["p:1:t"]));
        Assert.Equal(("1", "4"), (configuration["t:x:0"], configuration["t:x:1:y"]));
    }

    [Fact]
    public void AddTomlFile_EmptyTableAndArray_AppearAsNullValues()
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
    [InlineData("Port = 1\nport = 2", 2, 1, "key 'port' and key 'Port' ({0}:1:1) both map to configuration key 'port'")]
    [InlineData("\"a:b\" = 1\n[a]\nb = 2", 3, 1, "key 'a.b' and key '\"a:b\"' ({0}:1:1) both map to configuration key 'a:b'")]
    [InlineData("[Server]\nx = 1\n[server]\ny = 2", 3, 2, "both map to configuration key 'server'")]
    public void AddTomlFile_KeysCollidingInConfiguration_ProblemNamingBoth(string toml, int line, int column, string expected)
    {
        var path = SampleDocuments.WriteTempFile(toml);

        var error = Assert.Throws<ConfigurationException>(() => RegistryConfiguration.Build(new ConfigurationBuilder().AddTomlFile(path)));

        var problem = Assert.Single(error.Problems);
        Assert.Equal($"{path}:{line}:{column}", problem.Where);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, path), problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTomlFile_ExistingFile_RecordsFileLineAndColumnPerKey()
    {
        var path = SampleDocuments.WriteTempFile(SampleDocuments.Registry);

        var configuration = new ConfigurationBuilder().AddTomlFile(path).Build();

        Assert.True(configuration.TryGetTomlEntry("server:port", out var entry));
        Assert.Equal((path, 8, 1, $"{path}:8:1", "server.port"), (entry.SourceName, entry.Line, entry.Column, entry.Location, entry.KeyPath));
        Assert.True(configuration.TryGetTomlEntry("peers:1", out entry));
        Assert.Equal((22, 1, "peers[1]", TomlEntryKind.Table), (entry.Line, entry.Column, entry.KeyPath, entry.Kind));
        Assert.True(configuration.TryGetTomlEntry("admin_keys:1", out entry));
        Assert.Equal((4, 30), (entry.Line, entry.Column));
        Assert.True(configuration.TryGetTomlEntry("store", out entry));
        Assert.Equal((12, 2), (entry.Line, entry.Column)); // the key "store" inside "[store]"
        Assert.False(configuration.TryGetTomlEntry("server:missing", out _));
    }

    [Fact]
    public void AddTomlFile_WithByteOrderMark_ReadsText()
    {
        var path = SampleDocuments.WriteTempFile(string.Empty);
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "a = 'é'"u8]);

        Assert.Equal("é", new ConfigurationBuilder().AddTomlFile(path).Build()["a"]);
    }

    [Fact]
    public void AddTomlFile_InvalidUtf8_IsAProblemNamingTheFile()
    {
        var path = SampleDocuments.WriteTempFile(string.Empty);
        File.WriteAllBytes(path, [.. "a = \"x"u8, 0xC3, 0x28, .. "\""u8]);

        var error = Assert.Throws<ConfigurationException>(() => RegistryConfiguration.Build(new ConfigurationBuilder().AddTomlFile(path)));

        Assert.Contains($"{path}: not valid UTF-8", Assert.Single(error.Problems).Message, StringComparison.Ordinal);
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
    public void AddTomlFile_InvalidToml_FailsWithTomlynDiagnosticsAtFileLineAndColumn()
    {
        var path = SampleDocuments.WriteTempFile("[server]\nport = 8443\nhost = \"a\" \"b\"\n");

        var error = Assert.Throws<InvalidDataException>(() => new ConfigurationBuilder().AddTomlFile(path).Build());
        var toml = Assert.IsType<TomlException>(error.InnerException);
        Assert.Equal((path, 3, 12), (toml.SourceName, toml.Line, toml.Column));

        var problem = Assert.Single(Assert.Throws<ConfigurationException>(() => RegistryConfiguration.Build(new ConfigurationBuilder().AddTomlFile(path))).Problems);
        Assert.Equal($"{path}:3:12", problem.Where);
        Assert.Contains("expecting token `newline`", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x = 1\ny = 2\nx = 3", 3, 1, "The key `x` is already defined")]
    [InlineData("[a]\nx = 1\n[a]", 3, 1, "The key `a` is already defined")]
    [InlineData("name = \"registry\"\n\nport : 8080", 3, 6, "Expecting `=` after a key")]
    [InlineData("v = yes", 1, 5, "Unexpected token `yes` for a value")]
    [InlineData("d = 2021-02-29", 1, 5, "Unable to parse the date time")]
    [InlineData("n = 9223372036854775808", 1, 5, "Unable to parse integer")]
    public void RegistryConfigurationBuild_NotToml_ProblemAtFileLineAndColumn(string toml, int line, int column, string expected)
    {
        var path = SampleDocuments.WriteTempFile(toml);

        var problem = Assert.Throws<ConfigurationException>(() => RegistryConfiguration.Build(new ConfigurationBuilder().AddTomlFile(path))).Problems[0];

        Assert.Equal($"{path}:{line}:{column}", problem.Where);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTomlFile_Toml11Syntax_IsAccepted()
    {
        // TOML 1.1 (Tomlyn): inline tables over several lines with a trailing comma, \e and \xHH escapes,
        // and times without seconds. The project's former TOML 1.0 reader refused each of these.
        var configuration = FromText("t = {\n  a = 1,\n  b = \"\\e\\x41\",\n}\nat = 07:32\n");

        Assert.Equal(("1", "\u001bA", "07:32:00"), (configuration["t:a"], configuration["t:b"], configuration["at"]));
    }

    [Fact]
    public void Reload_ChangedFile_ReplacesValuesAndPositions()
    {
        var path = SampleDocuments.WriteTempFile("[server]\nport = 1\n");
        var configuration = new ConfigurationBuilder().AddTomlFile(path).Build();

        File.WriteAllText(path, "# moved down\n\n[server]\nport = 2\n");
        configuration.Reload();

        Assert.Equal("2", configuration["server:port"]);
        Assert.True(configuration.TryGetTomlEntry("server:port", out var entry));
        Assert.Equal((4, 1), (entry.Line, entry.Column));
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
        Assert.False(configuration.TryGetTomlEntry("server:port", out _));
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
