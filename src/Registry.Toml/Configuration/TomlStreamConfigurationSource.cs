using Microsoft.Extensions.Configuration;

namespace Registry.Toml.Configuration;

/// <summary>A TOML document in a stream as a configuration source; see <see cref="TomlConfigurationExtensions.AddTomlStream"/>.</summary>
public sealed class TomlStreamConfigurationSource : StreamConfigurationSource
{
    /// <summary>The label used for the document in error messages and validation reports.</summary>
    public string SourceName { get; set; } = "TOML stream";

    /// <summary>Creates the provider for this source.</summary>
    /// <param name="builder">The configuration builder (unused).</param>
    /// <returns>A <see cref="TomlStreamConfigurationProvider"/>.</returns>
    public override IConfigurationProvider Build(IConfigurationBuilder builder) => new TomlStreamConfigurationProvider(this);
}
