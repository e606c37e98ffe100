using Microsoft.Extensions.Configuration;
using Registry.Configuration.Tests.Fixtures;
using Registry.Configuration.Toml;

namespace Registry.Configuration.Tests;

/// <summary>The schema check over Tomlyn's syntax tree: unknown keys, wrong TOML types and out-of-range values, with positions.</summary>
public sealed class OptionsSchemaTests
{
    private static readonly OptionsSchema s_schema = OptionsSchema.For(typeof(SchemaOptions));

    private static (string Path, IReadOnlyList<ConfigurationProblem> Problems) Check(string toml)
    {
        var path = SampleDocuments.WriteTempFile(toml);
        return (path, s_schema.Check(new ConfigurationBuilder().AddTomlFile(path).Build()));
    }

    [Fact]
    public void Check_FittingDocument_HasNoProblems()
    {
        Assert.Empty(Check("service_name = \"r\"\nlog_level = \"debug\"\n[server]\nport = 443\ntls = true\nmax_body_bytes = 4096\n[store]\ncheckpoint_ratio = 1\nsegment_count = 4\n").Problems);
    }

    [Fact]
    public void Check_UnknownKey_NamesFileLineColumnKeyAndSuggestion()
    {
        var (path, problems) = Check("[server]\nport = 1\nprot = 2\n");

        var problem = Assert.Single(problems);
        Assert.Equal($"{path}:3:1: unknown key 'server.prot' (did you mean 'port'?); [server] accepts: listen_address, port, tls, max_body_bytes", problem.ToString());
    }

    [Fact]
    public void Check_UnknownSection_IsReportedOnceAtItsHeader()
    {
        var (path, problems) = Check("service_name = \"r\"\n[metrics]\nenabled = true\n[metrics.deeper]\nx = 1\n");

        var problem = Assert.Single(problems);
        Assert.Equal(($"{path}:2:2", "unknown key 'metrics'; the top level accepts: service_name, log_level, server, store"), (problem.Where, problem.Message));
    }

    [Fact]
    public void Check_UnknownDottedKey_PointsAtTheSegment()
    {
        var (path, problems) = Check("server.prot = 1\n");

        Assert.Equal($"{path}:1:8", Assert.Single(problems).Where);
    }

    [Theory]
    [InlineData("[server]\nport = \"8443\"", "'server.port' must be an integer, found a string (\"8443\")")]
    [InlineData("[server]\ntls = \"yes\"", "'server.tls' must be a boolean (true or false), found a string (\"yes\")")]
    [InlineData("[server]\nport = 1.5", "'server.port' must be an integer, found a float (1.5)")]
    [InlineData("[server]\nlisten_address = 10", "'server.listen_address' must be a string, found an integer (10)")]
    [InlineData("[server]\nlisten_address = [\"a\"]", "'server.listen_address' must be a string, found an array")]
    [InlineData("[server]\nlisten_address = 1979-05-27", "'server.listen_address' must be a string, found a date-time (1979-05-27)")]
    [InlineData("[server.port]\nx = 1", "'server.port' must be an integer, found a table")]
    [InlineData("server = 1", "'server' must be a table, found an integer (1)")]
    [InlineData("log_level = \"verbose\"", "'log_level' must be one of: Trace, Debug, Information, Warning, Error, found a string (\"verbose\")")]
    public void Check_WrongType_NamesExpectedAndFound(string toml, string message)
    {
        Assert.Equal(message, Assert.Single(Check(toml).Problems).Message);
    }

    [Theory]
    [InlineData("[server]\nport = 70000", "'server.port' = 70000 is out of range 1..65535")]
    [InlineData("[server]\nport = 0", "'server.port' = 0 is out of range 1..65535")]
    [InlineData("[server]\nport = 3_000_000_000", "'server.port' = 3000000000 is out of range for Int32 (-2147483648..2147483647)")]
    [InlineData("[server]\nmax_body_bytes = 0x7FFF_FFFF_FFFF", "'server.max_body_bytes' = 140737488355327 is out of range 1..67108864")]
    [InlineData("[store]\nsegment_count = -1", "'store.segment_count' = -1 is out of range for UInt32 (0..4294967295)")]
    [InlineData("[store]\ncheckpoint_ratio = 1.5", "'store.checkpoint_ratio' = 1.5 is out of range 0..1")]
    [InlineData("[store]\ncheckpoint_ratio = nan", "'store.checkpoint_ratio' = NaN is out of range 0..1")]
    public void Check_OutOfRange_NamesValueAndBounds(string toml, string message)
    {
        var (path, problems) = Check(toml);

        var problem = Assert.Single(problems);
        Assert.Equal(($"{path}:2:1", message), (problem.Where, problem.Message));
    }

    [Fact]
    public void Check_KeysMatchCaseInsensitivelyLikeTheBinder()
    {
        Assert.Empty(Check("Service_Name = \"r\"\n[STORE]\nDATA_DIR = \"/d\"\n[server]\nPort = 1").Problems);
    }

    [Fact]
    public void Check_ManyProblems_ReportsEveryOneInDocumentOrder()
    {
        var (path, problems) = Check("""
            service_name = 1
            colour = "blue"
            [server]
            port = 0
            tls = 1
            [store]
            data_dir = "/d"
            segment_count = 5_000_000_000
            """);

        Assert.Equal([$"{path}:1:1", $"{path}:2:1", $"{path}:4:1", $"{path}:5:1", $"{path}:8:1"], problems.Select(p => p.Where));
    }

    [Fact]
    public void Check_ValuesFromOtherLayers_CheckedAsTextNamingTheLayer()
    {
        var path = SampleDocuments.WriteTempFile("[server]\nport = 80\n");
        var configuration = new ConfigurationBuilder()
            .AddTomlFile(path)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["server:port"] = "0", ["server:tls"] = "yes", ["store:nope"] = "1", ["log_level"] = "error" })
            .Build();

        var problems = s_schema.Check(configuration, _ => "memory");

        Assert.Equal(
            [
                "memory: 'server.port' = 0 is out of range 1..65535",
                "memory: 'server.tls' must be a boolean (true or false), found 'yes'",
                "memory: unknown key 'store.nope'; [store] accepts: data_dir, checkpoint_ratio, segment_count",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void Keys_ListEveryLeafWithItsDefault_ComputedPropertiesAreNotKeys()
    {
        Assert.Equal(
            ["service_name", "log_level", "server.listen_address", "server.port", "server.tls", "server.max_body_bytes", "store.data_dir", "store.checkpoint_ratio", "store.segment_count"],
            s_schema.Keys.Select(k => k.KeyPath));
        var port = s_schema.Keys.Single(k => k.Path == "server:port");
        Assert.Equal(("server", "port", 8080, 1), (port.Section, port.Name, port.Default, port.Range!.Minimum));
    }

    [Fact]
    public void For_OptionsWithUnsupportedPropertyType_ThrowsNotSupportedNamingIt()
    {
        var error = Assert.Throws<NotSupportedException>(() => OptionsSchema.For(typeof(UnsupportedOptions)));

        Assert.Contains("UnsupportedOptions.Anything", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_OptionsContainingThemselves_ThrowsNotSupportedInsteadOfRecursing()
    {
        var error = Assert.Throws<NotSupportedException>(() => OptionsSchema.For(typeof(TreeOptions)));

        Assert.Contains("does TreeOptions contain itself?", error.Message, StringComparison.Ordinal);
    }

    private sealed class TreeOptions
    {
        public TreeOptions? Child { get; init; }
    }

    private sealed class UnsupportedOptions
    {
        public TimeSpan Anything { get; init; }
    }
}
