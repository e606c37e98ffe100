namespace Registry.Configuration.Toml;

/// <summary>A TOML file read into configuration: every key it sets, in document order, with its position.</summary>
/// <remarks>Immutable and thread-safe. Built by <see cref="TomlConfigurationProvider"/> from Tomlyn's syntax tree.</remarks>
public sealed class TomlDocument
{
    private readonly Dictionary<string, TomlEntry> _byPath;

    internal TomlDocument(string sourceName, IReadOnlyList<TomlEntry> entries, Dictionary<string, string?> data)
    {
        SourceName = sourceName;
        Entries = entries;
        Data = data;
        _byPath = entries.ToDictionary(e => e.Path, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The file.</summary>
    public string SourceName { get; }

    /// <summary>Every table, array and scalar, parents before their children.</summary>
    public IReadOnlyList<TomlEntry> Entries { get; }

    /// <summary>The configuration data the provider publishes (scalars as invariant text, empty tables and arrays as null).</summary>
    internal Dictionary<string, string?> Data { get; }

    /// <summary>The entry for a configuration path (case-insensitive), if the document sets it.</summary>
    public bool TryGetEntry(string path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TomlEntry? entry) => _byPath.TryGetValue(path, out entry);
}
