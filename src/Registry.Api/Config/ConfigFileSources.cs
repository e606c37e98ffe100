using Microsoft.Extensions.Configuration;

namespace Registry.Api.Config;

/// <summary>The TOML configuration file as a configuration source, and where its keys came from.</summary>
public static class ConfigFileSources
{
    /// <summary>Adds the TOML file.</summary>
    public static IConfigurationBuilder AddRegistryConfigFile(this IConfigurationBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        throw new ConfigurationException($"reading '{path}': TOML configuration files are not supported by this build yet");
    }

    /// <summary>Describes where <paramref name="path"/> was set in the file.</summary>
    public static string Describe(IConfigurationProvider provider, string path, string? configPath)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return configPath ?? path;
    }
}
