using System.Globalization;

namespace Registry.Toml;

/// <summary>A TOML integer: any 64-bit signed value, whether written in decimal, hex, octal or binary.</summary>
public sealed class TomlInteger : TomlValue
{
    internal TomlInteger(long value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Integer;

    /// <summary>The integer's value.</summary>
    public long Value { get; }

    /// <summary>Formats the value in decimal, invariant culture (how configuration binding reads it).</summary>
    /// <returns>For example <c>-42</c>; hex, octal and binary input is shown in decimal.</returns>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
