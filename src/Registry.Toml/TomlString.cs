namespace Registry.Toml;

/// <summary>A TOML string, with escapes decoded and multi-line forms normalised to <c>\n</c> line ends.</summary>
public sealed class TomlString : TomlValue
{
    internal TomlString(string value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.String;

    /// <summary>The decoded string.</summary>
    public string Value { get; }

    /// <summary>Returns <see cref="Value"/>.</summary>
    /// <returns>The decoded string.</returns>
    public override string ToString() => Value;
}
