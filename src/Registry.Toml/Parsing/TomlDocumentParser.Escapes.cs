using System.Buffers;
using System.Text;

namespace Registry.Toml;

/// <summary>Decoding of basic-string bodies: escapes, line-ending backslashes and CRLF.</summary>
internal ref partial struct TomlDocumentParser
{
    private const string EscapeList = "\\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX";

    /// <summary>Decodes <paramref name="raw"/> (which starts at <paramref name="offset"/> in the document).</summary>
    /// <remarks>UTF-16 never needs more chars than the UTF-8 bytes it came from, and every escape shrinks, so raw.Length chars suffice.</remarks>
    private readonly string DecodeBasic(ReadOnlySpan<byte> raw, int offset, bool multiline)
    {
        char[]? rented = null;
        var buffer = raw.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            var written = 0;
            var i = 0;
            while (i < raw.Length)
            {
                var run = raw[i..].IndexOfAny((byte)'\\', (byte)'\r');
                if (run < 0)
                {
                    run = raw.Length - i;
                }

                written += Encoding.UTF8.GetChars(raw.Slice(i, run), buffer[written..]);
                i += run;
                if (i >= raw.Length)
                {
                    break;
                }

                if (raw[i] == '\r')
                {
                    // The scan has checked that this CR starts a CRLF; the string holds "\n" alone.
                    i++;
                    continue;
                }

                i = DecodeEscape(raw, i, offset, multiline, buffer, ref written);
            }

            return new string(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Decodes the escape at raw[i] (a backslash) and returns the index after it.</summary>
    private readonly int DecodeEscape(ReadOnlySpan<byte> raw, int i, int offset, bool multiline, Span<char> buffer, ref int written)
    {
        var e = i + 1 < raw.Length ? raw[i + 1] : (byte)0;
        char simple;
        switch (e)
        {
            case (byte)'b': simple = '\b'; break;
            case (byte)'t': simple = '\t'; break;
            case (byte)'n': simple = '\n'; break;
            case (byte)'f': simple = '\f'; break;
            case (byte)'r': simple = '\r'; break;
            case (byte)'"': simple = '"'; break;
            case (byte)'\\': simple = '\\'; break;
            case (byte)'u' or (byte)'U':
                var digits = e == 'u' ? 4 : 8;
                var scalar = ReadHexScalar(raw, i, digits, offset);
                written += new Rune(scalar).EncodeToUtf16(buffer[written..]);
                return i + 2 + digits;
            case (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' when multiline:
                return SkipLineEndingBackslash(raw, i, offset);
            default:
                throw Error(offset + i, $"invalid escape sequence '\\{DescribeEscapeByte(raw, i + 1)}': expected one of {EscapeList}");
        }

        buffer[written++] = simple;
        return i + 2;
    }

    /// <summary>A backslash, optional whitespace, then a newline: trims every whitespace and newline up to the next other character.</summary>
    private readonly int SkipLineEndingBackslash(ReadOnlySpan<byte> raw, int i, int offset)
    {
        var j = i + 1;
        while (j < raw.Length && raw[j] is (byte)' ' or (byte)'\t')
        {
            j++;
        }

        if (j >= raw.Length || raw[j] is not ((byte)'\n' or (byte)'\r'))
        {
            throw Error(offset + i, "invalid escape sequence: a '\\' followed by whitespace must end the line (line-ending backslash)");
        }

        while (j < raw.Length && raw[j] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            j++;
        }

        return j;
    }

    private readonly int ReadHexScalar(ReadOnlySpan<byte> raw, int i, int digits, int offset)
    {
        var value = 0;
        for (var k = 0; k < digits; k++)
        {
            var at = i + 2 + k;
            var digit = at < raw.Length ? HexValue(raw[at]) : -1;
            if (digit < 0)
            {
                var form = digits == 4 ? "\\uXXXX" : "\\UXXXXXXXX";
                throw Error(offset + Math.Min(at, raw.Length), $"expected {digits} hexadecimal digits in the escape {form}, found {Describe(offset + Math.Min(at, raw.Length))}");
            }

            value = (value << 4) | digit;
        }

        // Eight hex digits can exceed int.MaxValue; the shift then wraps negative, which IsValid also rejects.
        if (!Rune.IsValid(value))
        {
            throw Error(offset + i, $"escape '\\{(char)raw[i + 1]}{Encoding.ASCII.GetString(raw.Slice(i + 2, digits))}' is not a Unicode scalar value (surrogates and values above 10FFFF are not allowed)");
        }

        return value;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    private static string DescribeEscapeByte(ReadOnlySpan<byte> raw, int at) =>
        at >= raw.Length ? string.Empty
        : raw[at] < 0x20 || raw[at] == 0x7F ? $"U+{raw[at]:X4}"
        : Rune.DecodeFromUtf8(raw[at..], out var rune, out _) == OperationStatus.Done ? rune.ToString() : "?";
}
