using System.Text;

namespace Registry.Toml;

/// <summary>
/// integer = dec-int / hex-int / oct-int / bin-int and float = float-int-part ( exp / frac [ exp ] ) / special-float.
/// Underscores must stand between two digits; decimal integers and float integer parts have no leading zeros.
/// A number is scanned as one token, then classified and checked.
/// </summary>
internal ref partial struct TomlDocumentParser
{
    private TomlValue ParseNumber(TomlPosition position)
    {
        var start = _pos;
        while (_pos < _src.Length && IsNumberByte(_src[_pos]))
        {
            _pos++;
        }

        var token = _src[start.._pos];
        var firstNonDigit = token.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        var timeLike = firstNonDigit < 0 && _pos < _src.Length && _src[_pos] == ':';
        if ((firstNonDigit > 0 && token[firstNonDigit] == '-') || timeLike)
        {
            // Digits then '-' or ':' that did not read as a date or time: say what a date or time looks like.
            throw Error(start, $"invalid date or time '{Text(token)}{(timeLike ? ":" : string.Empty)}': expected YYYY-MM-DD with a four-digit year, or HH:MM:SS with a two-digit hour");
        }

        var signed = token[0] is (byte)'+' or (byte)'-';
        var negative = token[0] == '-';
        var body = signed ? token[1..] : token;

        if (body.SequenceEqual("inf"u8))
        {
            return new TomlFloat(negative ? double.NegativeInfinity : double.PositiveInfinity, position);
        }

        if (body.SequenceEqual("nan"u8))
        {
            return new TomlFloat(double.NaN, position);
        }

        if (body.Length >= 2 && body[0] == '0' && body[1] is (byte)'x' or (byte)'o' or (byte)'b')
        {
            if (signed)
            {
                throw Error(start, $"invalid integer '{Text(token)}': hexadecimal, octal and binary integers cannot have a sign");
            }

            return new TomlInteger(ParseRadixInteger(token, start), position);
        }

        if (body.IndexOfAny((byte)'.', (byte)'e', (byte)'E') >= 0)
        {
            return new TomlFloat(ParseFloat(token, start), position);
        }

        return new TomlInteger(ParseDecimalInteger(token, start), position);
    }

    private readonly long ParseDecimalInteger(ReadOnlySpan<byte> token, int offset)
    {
        var negative = token[0] == '-';
        var i = token[0] is (byte)'+' or (byte)'-' ? 1 : 0;
        var end = ScanDigits(token, i, offset, "integer");
        if (end != token.Length)
        {
            throw Error(offset + end, $"invalid integer '{Text(token)}': unexpected {Describe(offset + end)}");
        }

        if (token[i] == '0' && token.Length > i + 1)
        {
            throw Error(offset + i, $"invalid integer '{Text(token)}': leading zeros are not allowed");
        }

        // Accumulate the magnitude; -9223372036854775808 has one more than long.MaxValue.
        var limit = negative ? 9_223_372_036_854_775_808UL : long.MaxValue;
        ulong magnitude = 0;
        foreach (var b in token[i..])
        {
            if (b == '_')
            {
                continue;
            }

            var digit = (ulong)(b - '0');
            if (magnitude > (limit - digit) / 10)
            {
                throw Error(offset, $"integer '{Text(token)}' is out of range for a 64-bit signed integer");
            }

            magnitude = (magnitude * 10) + digit;
        }

        return negative ? unchecked((long)(0UL - magnitude)) : (long)magnitude;
    }

    private readonly long ParseRadixInteger(ReadOnlySpan<byte> token, int offset)
    {
        var (radix, bits, name) = token[1] switch
        {
            (byte)'x' => (16, 4, "hexadecimal"),
            (byte)'o' => (8, 3, "octal"),
            _ => (2, 1, "binary"),
        };

        if (token.Length == 2 || token[2] == '_')
        {
            throw Error(offset + 2, $"invalid integer '{Text(token)}': expected {name} digits after '{Text(token[..2])}'");
        }

        long value = 0;
        for (var i = 2; i < token.Length; i++)
        {
            var b = token[i];
            if (b == '_')
            {
                if (i + 1 >= token.Length || HexValue(token[i + 1]) is < 0 || HexValue(token[i - 1]) is < 0)
                {
                    throw Error(offset + i, $"invalid integer '{Text(token)}': '_' must stand between two digits");
                }

                continue;
            }

            var digit = HexValue(b);
            if (digit < 0 || digit >= radix)
            {
                throw Error(offset + i, $"invalid integer '{Text(token)}': {Describe(offset + i)} is not {(name == "octal" ? "an" : "a")} {name} digit");
            }

            if (value > (long.MaxValue >> bits))
            {
                throw Error(offset, $"integer '{Text(token)}' is out of range for a 64-bit signed integer");
            }

            value = (value << bits) | (long)digit;
        }

        return value;
    }

    /// <summary>Scans 1*DIGIT with single underscores between digits from <paramref name="i"/>; returns the index after them.</summary>
    private readonly int ScanDigits(ReadOnlySpan<byte> token, int i, int offset, string what)
    {
        if (i >= token.Length || !IsDigit(token[i]))
        {
            throw Error(offset + i, $"invalid {what} '{Text(token)}': expected a digit, found {Describe(offset + i)}");
        }

        while (i < token.Length)
        {
            if (IsDigit(token[i]))
            {
                i++;
            }
            else if (token[i] == '_' && i + 1 < token.Length && IsDigit(token[i + 1]))
            {
                i += 2;
            }
            else if (token[i] == '_')
            {
                throw Error(offset + i, $"invalid {what} '{Text(token)}': '_' must stand between two digits");
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool IsNumberByte(byte b) => IsBareKeyByte(b) || b is (byte)'+' or (byte)'.';

    private static string Text(ReadOnlySpan<byte> token) => Encoding.UTF8.GetString(token);
}
