using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;

namespace Registry.Toml.Configuration;

/// <summary>Adds TOML documents to a configuration builder, and finds where a configuration value was written.</summary>
public static class TomlConfigurationExtensions
{
    /// <summary>Adds a required TOML file.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file path; a relative path is resolved against the builder's base path.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, string path) =>
        AddTomlFile(builder, provider: null, path, optional: false, reloadOnChange: false);

    /// <summary>Adds a TOML file.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file path; a relative path is resolved against the builder's base path.</param>
    /// <param name="optional">Whether a missing file is allowed (it then contributes nothing).</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, string path, bool optional) =>
        AddTomlFile(builder, provider: null, path, optional, reloadOnChange: false);

    /// <summary>Adds a TOML file.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The file path; a relative path is resolved against the builder's base path.</param>
    /// <param name="optional">Whether a missing file is allowed (it then contributes nothing).</param>
    /// <param name="reloadOnChange">Whether to reload when the file changes.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, string path, bool optional, bool reloadOnChange) =>
        AddTomlFile(builder, provider: null, path, optional, reloadOnChange);

    /// <summary>Adds a TOML file read through a file provider.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="provider">The file provider, or null to use the builder's (or one for the path's folder when rooted).</param>
    /// <param name="path">The file path, relative to the provider.</param>
    /// <param name="optional">Whether a missing file is allowed (it then contributes nothing).</param>
    /// <param name="reloadOnChange">Whether to reload when the file changes.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddTomlFile(this IConfigurationBuilder builder, IFileProvider? provider, string path, bool optional, bool reloadOnChange)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return builder.AddTomlFile(source =>
        {
            source.FileProvider = provider;
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

    /// <summary>Adds a TOML document read once from a stream (for tests and embedded defaults).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="stream">The document as UTF-8 bytes; read when the configuration is built.</param>
    /// <param name="sourceName">The label for the document in error messages.</param>
    /// <returns>The builder.</returns>
    public static IConfigurationBuilder AddTomlStream(this IConfigurationBuilder builder, Stream stream, string sourceName = "TOML stream")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(stream);
        return builder.Add<TomlStreamConfigurationSource>(source =>
        {
            source.Stream = stream;
            source.SourceName = sourceName;
        });
    }

    /// <summary>Finds the TOML file and position that supplied the current value of a configuration key.</summary>
    /// <param name="configuration">The built configuration.</param>
    /// <param name="key">A configuration path such as <c>server:port</c>.</param>
    /// <param name="sourceName">The TOML source's name when found.</param>
    /// <param name="position">Where the key was written when found.</param>
    /// <returns>
    /// True when the provider that wins for <paramref name="key"/> (the last one that has it) is a TOML
    /// provider; false when no provider has the key or a later layer, such as an environment variable,
    /// overrides it. A section (a TOML table) is found in the last TOML provider that defines it.
    /// </returns>
    public static bool TryGetTomlPosition(this IConfigurationRoot configuration, string key, out string sourceName, out TomlPosition position)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(key);
        foreach (var provider in configuration.Providers.Reverse())
        {
            if (provider is ITomlConfigurationProvider toml && toml.TryGetPosition(key, out position))
            {
                sourceName = toml.SourceName;
                return true;
            }

            if (provider.TryGet(key, out _))
            {
                // A later, non-TOML layer (environment, command line, memory) supplies the value.
                break;
            }
        }

        sourceName = string.Empty;
        position = default;
        return false;
    }
}
