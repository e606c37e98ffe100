using System.Globalization;

namespace Registry.Core.Model;

/// <summary>
/// A UTC instant with millisecond precision, written as RFC 3339 <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.
/// Input may use any RFC 3339 offset; it is normalised to UTC and truncated to milliseconds, so each
/// instant has exactly one canonical spelling.
/// </summary>
public readonly record struct Timestamp(long UnixMilliseconds) : IComparable<Timestamp>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>From a <see cref="DateTimeOffset"/>, truncated to milliseconds.</summary>
    public static Timestamp From(DateTimeOffset value) => new(value.ToUnixTimeMilliseconds());

    /// <summary>The instant as a <see cref="DateTimeOffset"/> in UTC.</summary>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(UnixMilliseconds);

    /// <summary>Adds a duration.</summary>
    public Timestamp Add(TimeSpan span) => new(checked(UnixMilliseconds + (long)span.TotalMilliseconds));

    /// <summary>Parses RFC 3339 date-time text; false for anything else.</summary>
    public static bool TryParse(string? text, out Timestamp value)
    {
        value = default;
        if (text is null || text.Length < 20 || text[10] is not ('T' or 't'))
        {
            return false;
        }

        var ok = DateTimeOffset.TryParseExact(
            text.Replace('t', 'T').Replace('z', 'Z'),
            ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out var parsed);
        if (!ok || !(text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-'))
        {
            return false;
        }

        value = From(parsed);
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(Timestamp other) => UnixMilliseconds.CompareTo(other.UnixMilliseconds);

    /// <summary>Ordering.</summary>
    public static bool operator <(Timestamp left, Timestamp right) => left.UnixMilliseconds < right.UnixMilliseconds;

    /// <summary>Ordering.</summary>
    public static bool operator >(Timestamp left, Timestamp right) => left.UnixMilliseconds > right.UnixMilliseconds;

    /// <summary>Ordering.</summary>
    public static bool operator <=(Timestamp left, Timestamp right) => left.UnixMilliseconds <= right.UnixMilliseconds;

    /// <summary>Ordering.</summary>
    public static bool operator >=(Timestamp left, Timestamp right) => left.UnixMilliseconds >= right.UnixMilliseconds;

    /// <summary>The canonical text.</summary>
    public override string ToString() => ToDateTimeOffset().UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);
}
