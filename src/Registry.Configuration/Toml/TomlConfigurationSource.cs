using Microsoft.Extensions.Configuration;

namespace Registry.Configuration.Toml;

/// <summary>A TOML file as a configuration source; see <see cref="TomlConfigurationExtensions.AddTomlFile(IConfigurationBuilder, string)"/>.</summary>
/// <remarks>
/// Behaves like the JSON file source: <see cref="FileConfigurationSource.Optional"/>,
/// <see cref="FileConfigurationSource.ReloadOnChange"/> and the builder's base path all apply.
/// </remarks>
public sealed class TomlConfigurationSource : FileConfigurationSource
{
    /// <summary>Creates the provider for this source.</summary>
    /// <param name="builder">The builder, which supplies the default file provider and load-exception handler.</param>
    /// <returns>A <see cref="TomlConfigurationProvider"/>.</returns>
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new TomlConfigurationProvider(this);
    }
}
