using System.Globalization;

namespace Registry.Toml;

/// <summary>A TOML float: an IEEE 754 binary64 value, including infinities and NaN.</summary>
public sealed class TomlFloat : TomlValue
{
    internal TomlFloat(double value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.Float;

    /// <summary>The float's value; <c>-0.0</c> keeps its sign, <c>nan</c> of either sign is <see cref="double.NaN"/>.</summary>
    public double Value { get; }

    /// <summary>
    /// Formats the value as the shortest invariant-culture text that round-trips, which is what
    /// <see cref="double.Parse(string, IFormatProvider)"/> and configuration binding read back:
    /// infinities are <c>Infinity</c> and <c>-Infinity</c>, not-a-number is <c>NaN</c>.
    /// </summary>
    /// <returns>For example <c>0.5</c>, <c>5E+22</c> or <c>-Infinity</c>.</returns>
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}
