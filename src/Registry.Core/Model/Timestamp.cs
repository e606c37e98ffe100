using System.Globalization;

namespace Registry.Core.Model;

/// <summary>
/// A UTC instant with millisecond precision, written as RFC 3339 <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.
/// Input may use any RFC 3339 offset; it is normalised to UTC and truncated to milliseconds, so each
/// instant has exactly one canonical spelling.
/// </summary>
public readonly record struct Timestamp(long UnixMilliseconds) : IComparable<Timestamp>
{
    /// <summary>From a <see cref="DateTimeOffset"/>, truncated to milliseconds.</summary>
    public static Timestamp From(DateTimeOffset value) => new(value.ToUnixTimeMilliseconds());

    /// <summary>The instant as a <see cref="DateTimeOffset"/> in UTC.</summary>
    public DateTimeOffset ToDateTimeOffset() => DateTimeOffset.FromUnixTimeMilliseconds(UnixMilliseconds);

    /// <summary>Adds a duration.</summary>
    public Timestamp Add(TimeSpan span) => new(checked(UnixMilliseconds + (long)span.TotalMilliseconds));

    /// <summary>Parses RFC 3339 date-time text; false for anything else.</summary>
    public static bool TryParse(string? text, out Timestamp value)
    {
        if (text is not null && TryParseCanonical(text, out value))
        {
            return true;
        }

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
    /// <remarks>Written digit by digit: it is what <c>yyyy-MM-dd'T'HH:mm:ss.fff'Z'</c> gives, at a fraction of the cost (every event encoded or decoded writes one or more).</remarks>
    public override string ToString() => string.Create(24, ToDateTimeOffset().UtcDateTime, static (span, t) =>
    {
        Write(span, 0, 4, t.Year);
        span[4] = '-';
        Write(span, 5, 2, t.Month);
        span[7] = '-';
        Write(span, 8, 2, t.Day);
        span[10] = 'T';
        Write(span, 11, 2, t.Hour);
        span[13] = ':';
        Write(span, 14, 2, t.Minute);
        span[16] = ':';
        Write(span, 17, 2, t.Second);
        span[19] = '.';
        Write(span, 20, 3, t.Millisecond);
        span[23] = 'Z';
    });

    // The canonical spelling (what ToString writes, and what every log entry, record and signed document holds), read
    // without the general parser. Anything else, or a value out of range, returns false and takes the general path,
    // which stays the authority; for the canonical spelling both give the same instant (tested).
    private static bool TryParseCanonical(string text, out Timestamp value)
    {
        value = default;
        if (text.Length != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[23] != 'Z'
            || !Read(text, 0, 4, out var year) || !Read(text, 5, 2, out var month) || !Read(text, 8, 2, out var day)
            || !Read(text, 11, 2, out var hour) || !Read(text, 14, 2, out var minute) || !Read(text, 17, 2, out var second) || !Read(text, 20, 3, out var millisecond))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = From(new DateTimeOffset(year, month, day, hour, minute, second, millisecond, TimeSpan.Zero));
        return true;
    }

    private static bool Read(string text, int start, int length, out int number)
    {
        number = 0;
        for (var i = start; i < start + length; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            number = (number * 10) + digit;
        }

        return true;
    }

    private static void Write(Span<char> span, int start, int length, int number)
    {
        for (var i = start + length - 1; i >= start; i--)
        {
            span[i] = (char)('0' + (number % 10));
            number /= 10;
        }
    }
}
