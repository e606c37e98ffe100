namespace Registry.Toml;

/// <summary>
/// RFC 3339 date-times as TOML 1.0.0 profiles them: offset date-time, local date-time, local date
/// and local time. The date/time separator may be 'T', 't' or a space; seconds are required.
/// </summary>
internal ref partial struct TomlDocumentParser
{
    private const int TicksDigits = 7;

    private readonly bool IsDateAhead() =>
        _pos + 4 < _src.Length && IsDigit(_src[_pos]) && IsDigit(_src[_pos + 1]) && IsDigit(_src[_pos + 2]) && IsDigit(_src[_pos + 3]) && _src[_pos + 4] == '-';

    private readonly bool IsTimeAhead() => IsTimeAt(_pos);

    private readonly bool IsTimeAt(int at) =>
        at + 2 < _src.Length && IsDigit(_src[at]) && IsDigit(_src[at + 1]) && _src[at + 2] == ':';

    private TomlValue ParseDateTime(TomlPosition position)
    {
        if (!IsDateAhead())
        {
            return new TomlLocalTime(ParseTimeOfDay(), position);
        }

        var date = ParseDate();
        var hasTime = false;
        if (_pos < _src.Length && _src[_pos] is (byte)'T' or (byte)'t')
        {
            hasTime = true;
        }
        else if (_pos < _src.Length && _src[_pos] == ' ' && IsTimeAt(_pos + 1))
        {
            // A space separates date and time only when a time follows; otherwise the date stands alone.
            hasTime = true;
        }

        if (!hasTime)
        {
            return new TomlLocalDate(date, position);
        }

        _pos++;
        var dateTime = date.ToDateTime(ParseTimeOfDay(), DateTimeKind.Unspecified);
        if (_pos >= _src.Length || _src[_pos] is not ((byte)'Z' or (byte)'z' or (byte)'+' or (byte)'-'))
        {
            return new TomlLocalDateTime(dateTime, position);
        }

        if (_src[_pos++] is (byte)'Z' or (byte)'z')
        {
            return new TomlOffsetDateTime(dateTime, TimeSpan.Zero, position);
        }

        var sign = _src[_pos - 1] == '-' ? -1 : 1;
        var hours = ExpectTwoDigits("offset hour", 23);
        Expect((byte)':', "':' between offset hours and minutes (as in +08:00)");
        var minutes = ExpectTwoDigits("offset minute", 59);
        return new TomlOffsetDateTime(dateTime, sign * new TimeSpan(hours, minutes, 0), position);
    }

    /// <summary>full-date = 4DIGIT "-" 2DIGIT "-" 2DIGIT, checked against the calendar.</summary>
    private DateOnly ParseDate()
    {
        var start = _pos;
        var year = ((_src[_pos] - '0') * 1000) + ((_src[_pos + 1] - '0') * 100) + ((_src[_pos + 2] - '0') * 10) + (_src[_pos + 3] - '0');
        _pos += 5;
        if (year == 0)
        {
            throw Error(start, "year 0000 is not supported: years run from 0001 to 9999");
        }

        var month = ExpectTwoDigits("month", 12);
        Expect((byte)'-', "'-' between month and day (as in 1979-05-27)");
        var dayOffset = _pos;
        var day = ExpectTwoDigits("day", 31);
        if (month == 0 || day == 0 || day > DateTime.DaysInMonth(year, month))
        {
            var max = month == 0 ? 31 : DateTime.DaysInMonth(year, month);
            throw Error(month == 0 ? dayOffset - 3 : dayOffset, month == 0
                ? "month 00 is out of range: expected 01 to 12"
                : $"day {day:00} is out of range for {year:0000}-{month:00}: expected 01 to {max:00}");
        }

        return new DateOnly(year, month, day);
    }

    /// <summary>partial-time = time-hour ":" time-minute ":" time-second [ time-secfrac ]; extra fraction digits are truncated.</summary>
    private TimeOnly ParseTimeOfDay()
    {
        var hour = ExpectTwoDigits("hour", 23);
        Expect((byte)':', "':' after the hour");
        var minute = ExpectTwoDigits("minute", 59);
        Expect((byte)':', "':' and seconds after the minute (TOML 1.0 requires seconds)");
        var second = ExpectTwoDigits("second", 59);
        long ticks = 0;
        if (_pos < _src.Length && _src[_pos] == '.')
        {
            _pos++;
            if (_pos >= _src.Length || !IsDigit(_src[_pos]))
            {
                throw Error(_pos, $"expected a digit after the '.' of the seconds, found {Describe(_pos)}");
            }

            var digits = 0;
            while (_pos < _src.Length && IsDigit(_src[_pos]))
            {
                if (digits++ < TicksDigits)
                {
                    ticks = (ticks * 10) + (_src[_pos] - '0');
                }

                _pos++;
            }

            for (; digits < TicksDigits; digits++)
            {
                ticks *= 10;
            }
        }

        return new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(ticks));
    }

    /// <summary>Reads exactly two digits, the <paramref name="name"/> field, whose value is at most <paramref name="max"/>.</summary>
    private int ExpectTwoDigits(string name, int max)
    {
        if (_pos + 1 >= _src.Length || !IsDigit(_src[_pos]) || !IsDigit(_src[_pos + 1]))
        {
            var at = _pos < _src.Length && IsDigit(_src[_pos]) ? _pos + 1 : _pos;
            throw Error(at, $"expected a two-digit {name}, found {Describe(at)}");
        }

        var value = ((_src[_pos] - '0') * 10) + (_src[_pos + 1] - '0');
        if (value > max)
        {
            throw Error(_pos, $"{name} {value:00} is out of range: expected at most {max:00}");
        }

        _pos += 2;
        return value;
    }

    private void Expect(byte expected, string what)
    {
        if (!TryMatch(expected))
        {
            throw Error(_pos, $"expected {what}, found {Describe(_pos)}");
        }
    }
}
