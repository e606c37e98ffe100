using System.Buffers;
using System.Text;

namespace Registry.Toml;

/// <summary>The four string forms. Each scan finds the end and checks characters; escapes are decoded afterwards.</summary>
internal ref partial struct TomlDocumentParser
{
    // Where a basic string scan must look closer: quote, backslash, and the control characters it may not hold.
    private static readonly SearchValues<byte> s_basicStop = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private static readonly SearchValues<byte> s_literalStop = SearchValues.Create(
        [(byte)'\'', 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    /// <summary>basic-string = quotation-mark *basic-char quotation-mark.</summary>
    private string ParseBasicString()
    {
        var start = ++_pos;
        var hasEscapes = false;
        while (true)
        {
            var stop = _src[_pos..].IndexOfAny(s_basicStop);
            if (stop < 0)
            {
                throw Error(_src.Length, "expected '\"' to close the string, found end of document");
            }

            _pos += stop;
            var b = _src[_pos];
            if (b == '"')
            {
                break;
            }

            if (b == '\\')
            {
                // Skip the escaped byte too, so that \" does not end the string; the escape is checked when decoded.
                hasEscapes = true;
                _pos = Math.Min(_pos + 2, _src.Length);
                continue;
            }

            throw Error(_pos, b is (byte)'\n' or (byte)'\r'
                ? "expected '\"' to close the string, found end of line (use \"\"\" for a multi-line string)"
                : $"control character U+{b:X4} must be escaped in a string");
        }

        var raw = _src[start.._pos];
        _pos++;
        return hasEscapes ? DecodeBasic(raw, start, multiline: false) : Encoding.UTF8.GetString(raw);
    }

    /// <summary>ml-basic-string = """ [ newline ] ml-basic-body """: up to two quotes may stand before the closing delimiter.</summary>
    private string ParseMultilineBasicString()
    {
        _pos += 3;
        TryConsumeNewline();
        var start = _pos;
        var needsDecoding = false;
        while (true)
        {
            var stop = _src[_pos..].IndexOfAny(s_basicStop);
            if (stop < 0)
            {
                throw Error(_src.Length, "expected '\"\"\"' to close the multi-line string, found end of document");
            }

            _pos += stop;
            var b = _src[_pos];
            if (b == '\\')
            {
                needsDecoding = true;
                // A backslash before whitespace or a newline trims it; leave those for this loop to count lines.
                var next = _pos + 1 < _src.Length ? _src[_pos + 1] : (byte)0;
                _pos = Math.Min(_pos + (next is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' ? 1 : 2), _src.Length);
            }
            else if (b is (byte)'\n' or (byte)'\r')
            {
                needsDecoding |= b == '\r';
                TryConsumeNewline();
            }
            else if (b == '"')
            {
                var run = CountRun((byte)'"');
                _pos += run;
                if (run >= 3)
                {
                    return FinishMultiline(start, _pos - 3, run, "\"\"\"", needsDecoding, basic: true);
                }
            }
            else
            {
                throw Error(_pos, $"control character U+{b:X4} must be escaped in a string");
            }
        }
    }

    /// <summary>literal-string = apostrophe *literal-char apostrophe: no escapes.</summary>
    private string ParseLiteralString()
    {
        var start = ++_pos;
        var stop = _src[_pos..].IndexOfAny(s_literalStop);
        if (stop < 0)
        {
            throw Error(_src.Length, "expected \"'\" to close the literal string, found end of document");
        }

        _pos += stop;
        var b = _src[_pos];
        if (b != '\'')
        {
            throw Error(_pos, b is (byte)'\n' or (byte)'\r'
                ? "expected \"'\" to close the literal string, found end of line (use ''' for a multi-line string)"
                : $"control character U+{b:X4} is not allowed in a literal string");
        }

        _pos++;
        return Encoding.UTF8.GetString(_src[start..(_pos - 1)]);
    }

    /// <summary>ml-literal-string = ''' [ newline ] ml-literal-body ''': up to two apostrophes may stand before the closing delimiter.</summary>
    private string ParseMultilineLiteralString()
    {
        _pos += 3;
        TryConsumeNewline();
        var start = _pos;
        var hasCarriageReturns = false;
        while (true)
        {
            var stop = _src[_pos..].IndexOfAny(s_literalStop);
            if (stop < 0)
            {
                throw Error(_src.Length, "expected \"'''\" to close the multi-line literal string, found end of document");
            }

            _pos += stop;
            var b = _src[_pos];
            if (b is (byte)'\n' or (byte)'\r')
            {
                hasCarriageReturns |= b == '\r';
                TryConsumeNewline();
            }
            else if (b == '\'')
            {
                var run = CountRun((byte)'\'');
                _pos += run;
                if (run >= 3)
                {
                    return FinishMultiline(start, _pos - 3, run, "'''", hasCarriageReturns, basic: false);
                }
            }
            else
            {
                throw Error(_pos, $"control character U+{b:X4} is not allowed in a literal string");
            }
        }
    }

    private readonly int CountRun(byte quote)
    {
        var run = _src[_pos..].IndexOfAnyExcept(quote);
        return run < 0 ? _src.Length - _pos : run;
    }

    /// <summary>Ends a multi-line string at a run of 3 to 5 delimiter characters: the first 0-2 belong to the content.</summary>
    private readonly string FinishMultiline(int start, int end, int run, string delimiter, bool needsDecoding, bool basic)
    {
        if (run > 5)
        {
            throw Error(end - (run - 3) + 5, $"expected a newline or end of document after the closing {delimiter}, found another quote (at most two may precede it)");
        }

        var raw = _src[start..end];
        if (!needsDecoding)
        {
            return Encoding.UTF8.GetString(raw);
        }

        return basic ? DecodeBasic(raw, start, multiline: true) : Encoding.UTF8.GetString(raw).Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
