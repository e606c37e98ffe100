using System.Globalization;

namespace Registry.Toml;

/// <summary>A TOML local date: a calendar date with no time of day and no offset.</summary>
public sealed class TomlLocalDate : TomlValue
{
    internal TomlLocalDate(DateOnly value, TomlPosition position)
        : base(position) => Value = value;

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.LocalDate;

    /// <summary>The date.</summary>
    public DateOnly Value { get; }

    /// <summary>Formats the value as ISO 8601 text, which configuration binding reads back.</summary>
    /// <returns>For example <c>1979-05-27</c>.</returns>
    public override string ToString() => Value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);
}
