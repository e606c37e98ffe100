using System.Collections;

namespace Registry.Toml;

/// <summary>A TOML array: an inline array (<c>[1, 2]</c>) or an array of tables (<c>[[name]]</c>).</summary>
/// <remarks>
/// Elements keep document order and may be of mixed kinds, as TOML 1.0.0 allows. The array is
/// read-only once <see cref="TomlParser"/> returns and is then safe to read from several threads.
/// </remarks>
public sealed class TomlArray : TomlValue, IReadOnlyList<TomlValue>
{
    private readonly List<TomlValue> _items = [];

    internal TomlArray(TomlPosition position, bool isArrayOfTables)
        : base(position) => IsArrayOfTables = isArrayOfTables;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Array;

    /// <summary>
    /// True when the array was made by <c>[[name]]</c> headers; false for an inline array, which is
    /// complete where it is written and cannot be appended to.
    /// </summary>
    public bool IsArrayOfTables { get; }

    /// <summary>The number of elements.</summary>
    public int Count => _items.Count;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">A zero-based index below <see cref="Count"/>.</param>
    /// <returns>The element.</returns>
    public TomlValue this[int index] => _items[index];

    /// <summary>Enumerates the elements in document order.</summary>
    /// <returns>An enumerator over the elements.</returns>
    public IEnumerator<TomlValue> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(TomlValue value) => _items.Add(value);

    internal TomlValue Last() => _items[^1];
}
