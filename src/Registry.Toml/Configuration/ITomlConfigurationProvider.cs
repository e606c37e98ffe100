namespace Registry.Toml.Configuration;

/// <summary>A configuration provider whose values come from a TOML document, and which knows where each came from.</summary>
/// <remarks>
/// Implemented by <see cref="TomlConfigurationProvider"/> (files) and <see cref="TomlStreamConfigurationProvider"/>
/// (streams). Members are safe to read from several threads; a reload replaces the document and its
/// positions together.
/// </remarks>
public interface ITomlConfigurationProvider
{
    /// <summary>The file path or other label of the document, as used in error messages.</summary>
    public string SourceName { get; }

    /// <summary>The parsed document, or null before loading or when an optional file is missing.</summary>
    public TomlTable? Document { get; }

    /// <summary>Finds where the value of a configuration key was written.</summary>
    /// <param name="key">A configuration path such as <c>server:port</c> or <c>peers:0:name</c> (case-insensitive).</param>
    /// <param name="position">The position of the TOML key (or, for array elements, the element) when found.</param>
    /// <returns>True when this provider supplied the key.</returns>
    public bool TryGetPosition(string key, out TomlPosition position);
}
