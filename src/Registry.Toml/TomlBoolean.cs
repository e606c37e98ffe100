namespace Registry.Toml;

/// <summary>A TOML boolean.</summary>
public sealed class TomlBoolean : TomlValue
{
    internal TomlBoolean(bool value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Boolean;

    /// <summary>The boolean's value.</summary>
    public bool Value { get; }

    /// <summary>Formats the value as TOML writes it; <see cref="bool.Parse(string)"/> reads it back.</summary>
    /// <returns><c>true</c> or <c>false</c>.</returns>
    public override string ToString() => Value ? "true" : "false";
}
