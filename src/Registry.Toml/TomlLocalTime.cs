using System.Globalization;

namespace Registry.Toml;

/// <summary>A TOML local time: a time of day with no date and no offset.</summary>
/// <remarks>Fractional seconds are kept to 100 ns; further digits in the source are truncated, never rounded.</remarks>
public sealed class TomlLocalTime : TomlValue
{
    internal TomlLocalTime(TimeOnly value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.LocalTime;

    /// <summary>The time of day.</summary>
    public TimeOnly Value { get; }

    /// <summary>Formats the value as ISO 8601 text, which configuration binding reads back.</summary>
    /// <returns>For example <c>07:32:00</c> or <c>00:32:00.999999</c>.</returns>
    public override string ToString() => Value.ToString("HH':'mm':'ss.FFFFFFF", CultureInfo.InvariantCulture);
}
