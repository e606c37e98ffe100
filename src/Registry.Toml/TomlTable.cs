using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Registry.Toml;

/// <summary>A TOML table: an ordered map from keys to values, where each key remembers where it was written.</summary>
/// <remarks>
/// Keys are compared ordinally (TOML keys are case-sensitive) and enumerate in the order they first
/// appeared in the document. A table that a dotted key or a <c>[a.b]</c> header created as a parent is
/// listed under the position of the key segment that first named it. The table is read-only once
/// <see cref="TomlParser"/> returns and is then safe to read from several threads.
/// </remarks>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "\"Table\" is the TOML 1.0.0 name for this structure.")]
public sealed class TomlTable : TomlValue, IReadOnlyDictionary<string, TomlValue>
{
    private readonly OrderedDictionary<string, TomlValue> _items = new(StringComparer.Ordinal);
    private readonly List<TomlPosition> _keyPositions = [];

    internal TomlTable(TomlPosition position, TomlTableOrigin origin)
        : base(position) => Origin = origin;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Table;

    /// <summary>The number of keys.</summary>
    public int Count => _items.Count;

    /// <summary>The keys in document order.</summary>
    public IEnumerable<string> Keys => _items.Keys;

    /// <summary>The values in document order.</summary>
    public IEnumerable<TomlValue> Values => _items.Values;

    internal TomlTableOrigin Origin { get; set; }

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <param name="key">The exact (case-sensitive) key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The table has no such key.</exception>
    public TomlValue this[string key] => _items[key];

    /// <summary>Whether the table has <paramref name="key"/>.</summary>
    /// <param name="key">The exact (case-sensitive) key.</param>
    /// <returns>True when the key is present.</returns>
    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <summary>Looks up <paramref name="key"/>.</summary>
    /// <param name="key">The exact (case-sensitive) key.</param>
    /// <param name="value">The value when found.</param>
    /// <returns>True when the key is present.</returns>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TomlValue value) => _items.TryGetValue(key, out value);

    /// <summary>Where <paramref name="key"/> was written: the first character of the key (or key segment).</summary>
    /// <param name="key">The exact (case-sensitive) key.</param>
    /// <returns>The key's position.</returns>
    /// <exception cref="KeyNotFoundException">The table has no such key.</exception>
    public TomlPosition GetKeyPosition(string key) =>
        TryGetKeyPosition(key, out var position) ? position : throw new KeyNotFoundException($"The TOML table has no key '{key}'.");

    /// <summary>Looks up where <paramref name="key"/> was written.</summary>
    /// <param name="key">The exact (case-sensitive) key.</param>
    /// <param name="position">The key's position when found.</param>
    /// <returns>True when the key is present.</returns>
    public bool TryGetKeyPosition(string key, out TomlPosition position)
    {
        var index = _items.IndexOf(key);
        position = index >= 0 ? _keyPositions[index] : default;
        return index >= 0;
    }

    /// <summary>Enumerates the key/value pairs in document order.</summary>
    /// <returns>An enumerator over the pairs.</returns>
    public IEnumerator<KeyValuePair<string, TomlValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A header now defines a table that was created earlier only as some header's parent.</summary>
    internal void DefineByHeader(TomlPosition headerPosition)
    {
        Origin = TomlTableOrigin.Header;
        Position = headerPosition;
    }

    /// <summary>Adds a key the caller has checked is absent.</summary>
    internal void Add(string key, TomlPosition keyPosition, TomlValue value)
    {
        _items.Add(key, value);
        _keyPositions.Add(keyPosition);
    }
}
