using System.Globalization;

namespace Registry.Toml;

/// <summary>A TOML offset date-time (RFC 3339 <c>date-time</c>): a date, a time of day and a UTC offset.</summary>
/// <remarks>
/// TOML allows offsets up to ±23:59 and any year from 0001 to 9999 with any offset, while
/// <see cref="System.DateTimeOffset"/> allows only ±14:00 and instants inside its own range, so the
/// value is kept as written (<see cref="DateTime"/> plus <see cref="Offset"/>) and converted on request
/// by <see cref="ToDateTimeOffset"/>. Fractional seconds are kept to 100 ns; further digits in the
/// source are truncated, never rounded. An offset of <c>-00:00</c> reads as zero.
/// </remarks>
public sealed class TomlOffsetDateTime : TomlValue
{
    internal TomlOffsetDateTime(DateTime dateTime, TimeSpan offset, TomlPosition position)
        : base(position)
    {
        DateTime = dateTime;
        Offset = offset;
    }

    /// <inheritdoc/>
    public override TomlValueKind Kind => TomlValueKind.OffsetDateTime;

    /// <summary>The date and time of day as written, before the offset (<see cref="DateTimeKind.Unspecified"/>).</summary>
    public DateTime DateTime { get; }

    /// <summary>The UTC offset as written: zero for <c>Z</c>, otherwise between -23:59 and +23:59.</summary>
    public TimeSpan Offset { get; }

    /// <summary>Converts the value to a <see cref="DateTimeOffset"/>.</summary>
    /// <returns>The same instant, with the same offset.</returns>
    /// <exception cref="OverflowException">
    /// The offset is beyond ±14:00, or the instant in UTC falls outside years 0001-9999.
    /// </exception>
    public DateTimeOffset ToDateTimeOffset()
    {
        if (!TryGetDateTimeOffset(out var value))
        {
            throw new OverflowException($"The TOML date-time {this} cannot be represented as a DateTimeOffset.");
        }

        return value;
    }

    /// <summary>Converts the value to a <see cref="DateTimeOffset"/> if that type can represent it.</summary>
    /// <param name="value">The converted value, or default when the method returns false.</param>
    /// <returns>False when the offset is beyond ±14:00 or the UTC instant is outside years 0001-9999.</returns>
    public bool TryGetDateTimeOffset(out DateTimeOffset value)
    {
        var utcTicks = DateTime.Ticks - Offset.Ticks;
        if (Offset.Duration() > TimeSpan.FromHours(14) || utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            value = default;
            return false;
        }

        value = new DateTimeOffset(DateTime, Offset);
        return true;
    }

    /// <summary>Formats the value as RFC 3339 / ISO 8601 text, which configuration binding reads back.</summary>
    /// <returns>For example <c>1979-05-27T00:32:00.999-07:00</c> or <c>1979-05-27T07:32:00Z</c>.</returns>
    public override string ToString()
    {
        var text = DateTime.ToString(TomlLocalDateTime.Format, CultureInfo.InvariantCulture);
        if (Offset == TimeSpan.Zero)
        {
            return text + "Z";
        }

        var sign = Offset < TimeSpan.Zero ? '-' : '+';
        var abs = Offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{text}{sign}{abs.Hours:00}:{abs.Minutes:00}");
    }
}
