using Microsoft.Extensions.Configuration;
using Registry.Toml.Configuration;
using Registry.Toml.Schema;
using Registry.Toml.Tests.Fixtures;

namespace Registry.Toml.Tests.Schema;

/// <summary>The throwing entry points used at start-up, and how the schema is derived from unusual option types.</summary>
public sealed class TomlSchemaValidatorEntryPointTests
{
    private const string Minimal = "service_name = \"r\"\nstore = { data_dir = \"/d\" }\n";

    [Fact]
    public void ThrowIfInvalid_InvalidDocument_ListsEveryErrorInMessage()
    {
        var error = Assert.Throws<TomlValidationException>(() =>
            TomlSchemaValidator.ThrowIfInvalid<SampleRegistryOptions>(TomlParser.Parse(Minimal + "[server]\nport = 0\nextra = 1"), "svc-registry.toml"));

        Assert.Equal(2, error.Errors.Count);
        Assert.Equal(
            "The TOML configuration has 2 errors:\n"
            + "  svc-registry.toml:4:1: key 'server.port' is 0, out of range: must be at least 1 and at most 65535\n"
            + "  svc-registry.toml:5:1: unknown key 'server.extra'; table [server] accepts: listen_address, Port, Tls, max_body_bytes",
            error.Message);
    }

    [Fact]
    public void ThrowIfInvalid_ValidDocument_DoesNotThrow()
    {
        var document = TomlParser.Parse(SampleDocuments.Registry);

        Assert.Null(Record.Exception(() => TomlSchemaValidator.ThrowIfInvalid<SampleRegistryOptions>(document)));
    }

    [Fact]
    public void ValidateTomlSchema_ConfigurationWithTomlFile_NamesFileLineAndColumn()
    {
        var path = SampleDocuments.WriteTempFile(SampleDocuments.Registry.Replace("tls = true", "tls = true\nlisten_port = 1", StringComparison.Ordinal));
        var configuration = new ConfigurationBuilder()
            .AddTomlFile(path)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["server:unrelated"] = "memory layers are not TOML and are not checked" })
            .Build();

        var error = Assert.Throws<TomlValidationException>(() => configuration.ValidateTomlSchema<SampleRegistryOptions>());

        var only = Assert.Single(error.Errors);
        Assert.Equal((path, new TomlPosition(10, 1)), (only.SourceName, only.Position));
        Assert.Contains($"{path}:10:1: unknown key 'server.listen_port'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateTomlSchema_ValidConfiguration_ReturnsSameConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddTomlFile(SampleDocuments.WriteTempFile(SampleDocuments.Registry)).Build();

        Assert.Same(configuration, configuration.ValidateTomlSchema<SampleRegistryOptions>());
    }

    [Fact]
    public void Validate_OptionsWithUnsupportedPropertyType_ThrowsNotSupported()
    {
        var error = Assert.Throws<NotSupportedException>(() => TomlSchemaValidator.Validate<UnsupportedOptions>(TomlParser.Parse("x = 1")));

        Assert.Contains("UnsupportedOptions.Anything", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SelfReferencingOptions_TerminatesAndChecksEachLevel()
    {
        var error = Assert.Single(TomlSchemaValidator.Validate<TreeOptions>(TomlParser.Parse("[child.child.child]\nname = 1")));

        Assert.Equal("child.child.child.name", error.KeyPath);
    }

    private sealed class UnsupportedOptions
    {
        public object? Anything { get; init; }
    }

    private sealed class TreeOptions
    {
        public string Name { get; init; } = string.Empty;

        public TreeOptions? Child { get; init; }
    }
}
