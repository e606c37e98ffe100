using Microsoft.Extensions.Configuration;
using Registry.Toml;
using Registry.Toml.Configuration;

namespace Registry.Api.Config;

/// <summary>The TOML configuration file as a configuration source, and where its keys came from.</summary>
public static class ConfigFileSources
{
    /// <summary>Adds the TOML file (parsed when the configuration is built).</summary>
    public static IConfigurationBuilder AddRegistryConfigFile(this IConfigurationBuilder builder, string path) =>
        builder.AddTomlFile(Path.GetFullPath(path));

    /// <summary><c>file:line:column</c> of <paramref name="path"/> when the TOML file set it, else null.</summary>
    public static string? Describe(IConfigurationRoot configuration, string path) =>
        configuration.TryGetTomlPosition(path, out var source, out var position) ? $"{source}:{position.Line}:{position.Column}" : null;

    /// <summary>True for a TOML syntax error surfacing while the configuration is built.</summary>
    public static bool IsSyntaxError(Exception exception) => exception is TomlException || exception.InnerException is TomlException;
}
