using System.Globalization;

namespace Registry.Toml;

/// <summary>A TOML local date-time: a date and a time of day with no relation to any offset or time zone.</summary>
/// <remarks>Fractional seconds are kept to 100 ns; further digits in the source are truncated, never rounded.</remarks>
public sealed class TomlLocalDateTime : TomlValue
{
    /// <summary>The invariant format used by <see cref="ToString"/>: ISO 8601 without trailing fractional zeros.</summary>
    internal const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF";

    internal TomlLocalDateTime(DateTime value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.LocalDateTime;

    /// <summary>The date-time, with <see cref="DateTimeKind.Unspecified"/>.</summary>
    public DateTime Value { get; }

    /// <summary>Formats the value as ISO 8601 text, which configuration binding reads back.</summary>
    /// <returns>For example <c>1979-05-27T07:32:00</c> or <c>1979-05-27T00:32:00.999999</c>.</returns>
    public override string ToString() => Value.ToString(Format, CultureInfo.InvariantCulture);
}
