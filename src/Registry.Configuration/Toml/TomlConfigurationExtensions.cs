using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Registry.Configuration.Toml;

/// <summary>Adds TOML files to a configuration builder, and finds where a configuration value was written.</summary>
public static class TomlConfigurationExtensions
{
    /// <summary>Adds a required TOML file.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file path; a relative path is resolved against the builder's base path.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, string path) =>
        AddTomlFile(builder, path, optional: false, reloadOnChange: false);

    /// <summary>Adds a TOML file.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file path; a relative path is resolved against the builder's base path.</param>
    /// <param name="optional">Whether a missing file is allowed (it then contributes nothing).</param>
    /// <param name="reloadOnChange">Whether to reload when the file changes.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, string path, bool optional, bool reloadOnChange = false)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.AddTomlFile(source =>
        {
            source.Path = path;
            source.Optional = optional;
            source.ReloadOnChange = reloadOnChange;
            source.ResolveFileProvider();
        });
    }

    /// <summary>Adds a TOML file configured by a delegate.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configureSource">Sets the source's path and options.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, Action<TomlConfigurationSource>? configureSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(configureSource);
    }

    /// <summary>Finds the TOML entry that supplies the current value of a configuration key.</summary>
    /// <param name="configuration">The built configuration.</param>
    /// <param name="path">A configuration path such as <c>server:port</c>.</param>
    /// <param name="entry">The key, its file and position, when found.</param>
    /// <returns>
    /// True when the provider that wins for <paramref name="path"/> (the last one that has it) is a TOML file;
    /// false when no provider has the key or a later layer, such as an environment variable, overrides it.
    /// A section (a TOML table) is found in the last TOML file that defines it.
    /// </returns>
    public static bool TryGetTomlEntry(this IConfigurationRoot configuration, string path, [NotNullWhen(true)] out TomlEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(path);
        foreach (var provider in configuration.Providers.Reverse())
        {
            if (provider is TomlConfigurationProvider { Document: { } document } && document.TryGetEntry(path, out entry))
            {
                return true;
            }

            if (provider.TryGet(path, out _))
            {
                break;
            }
        }

        entry = null;
        return false;
    }
}
