using Microsoft.Extensions.Configuration;

namespace Registry.Toml.Configuration;

/// <summary>Loads configuration from a TOML file and remembers where each value was written.</summary>
/// <remarks>
/// A document that is not valid TOML fails the load with a <see cref="TomlException"/> naming the file,
/// line and column (wrapped, as for every file provider, in an <see cref="InvalidDataException"/>
/// unless the source's OnLoadException handler ignores it). Reading is thread-safe; a reload swaps
/// the data, the document and the positions.
/// </remarks>
public sealed class TomlConfigurationProvider : FileConfigurationProvider, ITomlConfigurationProvider
{
    private volatile TomlConfigurationSnapshot _snapshot = TomlConfigurationSnapshot.Empty;

    /// <summary>Creates a provider for <paramref name="source"/>.</summary>
    /// <param name="source">The file source.</param>
    public TomlConfigurationProvider(TomlConfigurationSource source)
        : base(source)
    {
    }

    /// <inheritdoc/>
    public string SourceName => Source.FileProvider?.GetFileInfo(Source.Path ?? string.Empty).PhysicalPath ?? Source.Path ?? "TOML file";

    /// <inheritdoc/>
    public TomlTable? Document => _snapshot.CurrentFor(Data).Document;

    /// <inheritdoc/>
    public bool TryGetPosition(string key, out TomlPosition position) => _snapshot.CurrentFor(Data).Positions.TryGetValue(key, out position);

    /// <summary>Parses the file's bytes and replaces the configuration data.</summary>
    /// <param name="stream">The file's content.</param>
    /// <exception cref="TomlException">The file is not valid TOML 1.0.0, or two keys map to the same configuration key.</exception>
    public override void Load(Stream stream)
    {
        var snapshot = TomlConfigurationSnapshot.Load(stream, SourceName);
        _snapshot = snapshot;
        Data = snapshot.Data;
    }
}
