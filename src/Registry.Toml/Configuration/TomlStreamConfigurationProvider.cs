using Microsoft.Extensions.Configuration;

namespace Registry.Toml.Configuration;

/// <summary>Loads configuration once from a TOML document in a stream and remembers where each value was written.</summary>
public sealed class TomlStreamConfigurationProvider : StreamConfigurationProvider, ITomlConfigurationProvider
{
    private volatile TomlConfigurationSnapshot _snapshot = TomlConfigurationSnapshot.Empty;

    /// <summary>Creates a provider for <paramref name="source"/>.</summary>
    /// <param name="source">The stream source.</param>
    public TomlStreamConfigurationProvider(TomlStreamConfigurationSource source)
        : base(source) => SourceName = source.SourceName;

    /// <inheritdoc/>
    public string SourceName { get; }

    /// <inheritdoc/>
    public TomlTable? Document => _snapshot.CurrentFor(Data).Document;

    /// <inheritdoc/>
    public bool TryGetPosition(string key, out TomlPosition position) => _snapshot.CurrentFor(Data).Positions.TryGetValue(key, out position);

    /// <summary>Parses the stream's bytes into configuration data.</summary>
    /// <param name="stream">The document.</param>
    /// <exception cref="TomlException">The document is not valid TOML 1.0.0, or two keys map to the same configuration key.</exception>
    public override void Load(Stream stream)
    {
        var snapshot = TomlConfigurationSnapshot.Load(stream, SourceName);
        _snapshot = snapshot;
        Data = snapshot.Data;
    }
}
