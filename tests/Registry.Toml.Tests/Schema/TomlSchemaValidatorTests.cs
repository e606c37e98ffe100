using Microsoft.Extensions.Configuration;
using Registry.Toml.Configuration;
using Registry.Toml.Schema;
using Registry.Toml.Tests.Fixtures;

namespace Registry.Toml.Tests.Schema;

public sealed class TomlSchemaValidatorTests
{
    /// <summary>The required keys only; further top-level keys and tables can be appended.</summary>
    private const string Minimal = "service_name = \"r\"\nstore = { data_dir = \"/d\" }\n";

    private static IReadOnlyList<TomlValidationError> Validate(string toml) =>
        TomlSchemaValidator.Validate<SampleRegistryOptions>(TomlParser.Parse(toml), "svc-registry.toml");

    [Fact]
    public void Validate_SampleDocument_HasNoErrors()
    {
        Assert.Empty(Validate(SampleDocuments.Registry));
    }

    [Fact]
    public void Validate_UnknownKey_NamesKeyPathLineAndSuggestion()
    {
        var error = Assert.Single(Validate(Minimal + "[server]\nport = 1\nprot = 2\n"));

        Assert.Equal(TomlValidationErrorKind.UnknownKey, error.Kind);
        Assert.Equal("server.prot", error.KeyPath);
        Assert.Equal(new TomlPosition(5, 1), error.Position);
        Assert.Equal("svc-registry.toml:5:1: unknown key 'server.prot' (did you mean 'Port'?); table [server] accepts: listen_address, Port, Tls, max_body_bytes", error.ToString());
    }

    [Fact]
    public void Validate_UnknownTopLevelSection_IsReportedOnceWithoutDescending()
    {
        var error = Assert.Single(Validate(Minimal + "[metrics]\nenabled = true\n"));

        Assert.Equal(("metrics", new TomlPosition(3, 2)), (error.KeyPath, error.Position));
        Assert.Contains("the top level accepts: service_name, log_level, admin_keys, Server, Store, Peers, Labels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[server]\nport = \"8443\"", "server.port", "key 'server.port' must be an integer, found a string (\"8443\")")]
    [InlineData("[server]\ntls = \"yes\"", "server.tls", "key 'server.tls' must be a boolean (true or false), found a string (\"yes\")")]
    [InlineData("admin_keys = \"k\"", "admin_keys", "key 'admin_keys' must be an array, found a string (\"k\")")]
    [InlineData("admin_keys = [\"k\", 2]", "admin_keys[1]", "key 'admin_keys[1]' must be a string, found an integer (2)")]
    [InlineData("server = 1", "server", "key 'server' must be a table, found an integer (1)")]
    [InlineData("[labels]\nregion = 1", "labels.region", "key 'labels.region' must be a string, found an integer (1)")]
    [InlineData("[[peers]]\nname = \"a\"\nweight = 1.5", "peers[0].weight", "key 'peers[0].weight' must be an integer, found a float (1.5)")]
    public void Validate_WrongType_NamesExpectedAndFoundTypes(string toml, string keyPath, string message)
    {
        var error = Assert.Single(Validate(Minimal + toml));

        Assert.Equal((TomlValidationErrorKind.WrongType, keyPath, message), (error.Kind, error.KeyPath, error.Message));
    }

    [Theory]
    [InlineData("[server]\nport = 70000", "server.port", "key 'server.port' is 70000, out of range: must be at least 1 and at most 65535")]
    [InlineData("[server]\nport = 0", "server.port", "key 'server.port' is 0, out of range: must be at least 1 and at most 65535")]
    [InlineData("[server]\nport = 3_000_000_000", "server.port", "key 'server.port' is 3000000000, out of range for Int32: must be between -2147483648 and 2147483647")]
    [InlineData("[server]\nmax_body_bytes = 0x7FFF_FFFF_FFFF", "server.max_body_bytes", "key 'server.max_body_bytes' is 140737488355327, out of range: must be at least 1 and at most 67108864")]
    [InlineData("[store]\nsegment_count = -1", "store.segment_count", "key 'store.segment_count' is -1, out of range for UInt16: must be between 0 and 65535")]
    [InlineData("[store]\ncheckpoint_ratio = 1.5", "store.checkpoint_ratio", "key 'store.checkpoint_ratio' is 1.5, out of range: must be at least 0 and at most 1")]
    [InlineData("[store]\ncheckpoint_ratio = nan", "store.checkpoint_ratio", "key 'store.checkpoint_ratio' is NaN, out of range: must be at least 0 and at most 1")]
    public void Validate_OutOfRange_NamesValueAndBounds(string toml, string keyPath, string message)
    {
        // The sample's [store] table needs data_dir; give every case the required keys so only the range error remains.
        var document = toml.StartsWith("[store]", StringComparison.Ordinal)
            ? "service_name = \"r\"\n" + toml + "\ndata_dir = \"/d\""
            : Minimal + toml;

        var error = Assert.Single(Validate(document));

        Assert.Equal((TomlValidationErrorKind.OutOfRange, keyPath, message), (error.Kind, error.KeyPath, error.Message));
    }

    [Fact]
    public void Validate_FloatOptionGivenInteger_IsAccepted()
    {
        Assert.Empty(Validate("service_name = \"r\"\n[store]\ndata_dir = \"/d\"\ncheckpoint_ratio = 1\n"));
    }

    [Fact]
    public void Validate_MissingRequiredKeys_ReportedAtTheirTable()
    {
        var errors = Validate("[store]\ncheckpoint_ratio = 0.5\n[[peers]]\nweight = 1\n");

        Assert.Equal(
            [
                ("store.data_dir", new TomlPosition(1, 1)),
                ("peers[0].Name", new TomlPosition(3, 1)),
                ("service_name", new TomlPosition(1, 1)),
            ],
            errors.Select(e => (e.KeyPath, e.Position)));
        Assert.All(errors, e => Assert.Equal(TomlValidationErrorKind.MissingKey, e.Kind));
        Assert.Equal("missing required key 'store.data_dir' in table [store]", errors[0].Message);
    }

    [Fact]
    public void Validate_RequiredStringEmpty_IsInvalid()
    {
        var error = Assert.Single(Validate(Minimal.Replace("\"r\"", "\"\"", StringComparison.Ordinal)));

        Assert.Equal((TomlValidationErrorKind.InvalidValue, "service_name"), (error.Kind, error.KeyPath));
    }

    [Theory]
    [InlineData("debug", true)]
    [InlineData("Warning", true)]
    [InlineData("verbose", false)]
    [InlineData("1", false)]
    public void Validate_EnumByName_AcceptsNamesCaseInsensitively(string level, bool valid)
    {
        var errors = Validate(Minimal + $"log_level = \"{level}\"\n");

        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            var error = Assert.Single(errors);
            Assert.Equal(TomlValidationErrorKind.InvalidValue, error.Kind);
            Assert.Equal($"key 'log_level' is \"{level}\", which is not one of: Trace, Debug, Information, Warning, Error", error.Message);
        }
    }

    [Fact]
    public void Validate_KeysMatchCaseInsensitivelyLikeTheBinder()
    {
        Assert.Empty(Validate("Service_Name = \"r\"\n[STORE]\nDATA_DIR = \"/d\"\n[server]\nport = 1"));

        var error = Assert.Single(Validate(Minimal + "SERVICE_NAME = \"again\"\n"));
        Assert.Equal("key 'SERVICE_NAME' sets the same option as 'service_name' (keys are matched case-insensitively)", error.Message);
    }

    [Fact]
    public void Validate_ConvertedType_ChecksTextWithTypeConverter()
    {
        var errors = TomlSchemaValidator.Validate<ConvertedOptions>(TomlParser.Parse("id = \"not-a-guid\"\nwhen = 1979-05-27T07:32:00Z\nother = 2"));

        var error = Assert.Single(errors);
        Assert.Equal((TomlValidationErrorKind.InvalidValue, "id", new TomlPosition(1, 1)), (error.Kind, error.KeyPath, error.Position));
        Assert.StartsWith("key 'id' is \"not-a-guid\", which is not a valid Guid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOneInDocumentOrder()
    {
        var errors = Validate("""
            service_name = 1
            colour = "blue"
            [server]
            port = 0
            tls = 1
            [store]
            data_dir = "/d"
            segment_count = 70000
            """);

        Assert.Equal(
            [
                (TomlValidationErrorKind.WrongType, "service_name", 1),
                (TomlValidationErrorKind.UnknownKey, "colour", 2),
                (TomlValidationErrorKind.OutOfRange, "server.port", 4),
                (TomlValidationErrorKind.WrongType, "server.tls", 5),
                (TomlValidationErrorKind.OutOfRange, "store.segment_count", 8),
            ],
            errors.Select(e => (e.Kind, e.KeyPath, e.Position.Line)));
    }

    private sealed class ConvertedOptions
    {
        public Guid Id { get; init; }

        public DateTimeOffset When { get; init; }

        public int Other { get; init; }
    }
}
