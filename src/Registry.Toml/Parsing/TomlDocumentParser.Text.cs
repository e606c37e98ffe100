using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Registry.Toml;

/// <summary>Whitespace, newlines, comments, positions and error messages.</summary>
internal ref partial struct TomlDocumentParser
{
    // Control characters TOML forbids in comments and literal strings: U+0000-U+0008, U+000A-U+001F, U+007F.
    // LF and CR are in the set so that scans stop at the end of the line.
    private static readonly SearchValues<byte> s_commentStop = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private void SkipWhitespace()
    {
        while (_pos < _src.Length && _src[_pos] is (byte)' ' or (byte)'\t')
        {
            _pos++;
        }
    }

    /// <summary>Consumes LF or CRLF; a CR not followed by LF is an error wherever it appears.</summary>
    private bool TryConsumeNewline()
    {
        if (_pos >= _src.Length)
        {
            return false;
        }

        switch (_src[_pos])
        {
            case (byte)'\n':
                _pos++;
                StartLine();
                return true;
            case (byte)'\r' when _pos + 1 < _src.Length && _src[_pos + 1] == '\n':
                _pos += 2;
                StartLine();
                return true;
            case (byte)'\r':
                throw Error(_pos, "expected '\\n' after '\\r': a carriage return is only allowed as part of a CRLF line ending");
            default:
                return false;
        }
    }

    private void StartLine()
    {
        _line++;
        _lineStart = _pos;
        _columnOffset = _pos;
        _column = 1;
    }

    /// <summary>Skips a comment from its '#' up to (not including) the line ending.</summary>
    private void SkipComment()
    {
        _pos++;
        var stop = _src[_pos..].IndexOfAny(s_commentStop);
        if (stop < 0)
        {
            _pos = _src.Length;
            return;
        }

        _pos += stop;
        var b = _src[_pos];
        if (b is not ((byte)'\n' or (byte)'\r'))
        {
            throw Error(_pos, $"control character U+{b:X4} is not allowed in a comment");
        }
    }

    /// <summary>After an expression: optional whitespace and comment, then a newline or the end of the document.</summary>
    private bool TryFinishLine()
    {
        SkipWhitespace();
        if (_pos < _src.Length && _src[_pos] == '#')
        {
            SkipComment();
        }

        return _pos >= _src.Length || TryConsumeNewline();
    }

    /// <summary>The position of <paramref name="offset"/>, which must lie on the current line at or after the last call's offset or the line start.</summary>
    private TomlPosition PositionAt(int offset)
    {
        Debug.Assert(offset >= _lineStart, "positions are only taken on the current line; errors use ErrorAt");
        if (offset < _columnOffset)
        {
            _columnOffset = _lineStart;
            _column = 1;
        }

        var span = _src[_columnOffset..offset];
        _column += Ascii.IsValid(span) ? span.Length : CountScalars(span);
        _columnOffset = offset;
        return new TomlPosition(_line, _column);
    }

    /// <summary>Counts Unicode scalars as UTF-8 lead bytes, which is exact for valid UTF-8 and close enough for the error that finds invalid UTF-8.</summary>
    private static int CountScalars(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }

    private readonly TomlException Error(int offset, string reason) => ErrorAt(_src, offset, reason, _sourceName);

    /// <summary>Builds the exception for <paramref name="offset"/>, finding its line and column by a scan from the start (errors only).</summary>
    internal static TomlException ErrorAt(ReadOnlySpan<byte> src, int offset, string reason, string? sourceName)
    {
        offset = Math.Min(offset, src.Length);
        var before = src[..offset];
        var line = 1 + before.Count((byte)'\n');
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        if (lineStart == 0 && src.StartsWith("\uFEFF"u8))
        {
            lineStart = Math.Min(3, offset);
        }

        return new TomlException(reason, line, 1 + CountScalars(src[lineStart..offset]), sourceName);
    }

    /// <summary>Names the character at <paramref name="offset"/> for an error message.</summary>
    private readonly string Describe(int offset)
    {
        if (offset >= _src.Length)
        {
            return "end of document";
        }

        var b = _src[offset];
        if (b is (byte)'\n' or (byte)'\r')
        {
            return "end of line";
        }

        if (b < 0x20 || b == 0x7F)
        {
            return $"control character U+{b:X4}";
        }

        if (b < 0x80)
        {
            return $"'{(char)b}'";
        }

        if (Rune.DecodeFromUtf8(_src[offset..], out var rune, out _) != OperationStatus.Done)
        {
            return $"byte 0x{b:X2}";
        }

        // Non-ASCII: always give the code point, since it may be invisible (U+FEFF) or look like ASCII (U+0660).
        return Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
            ? $"U+{rune.Value:X4}"
            : $"'{rune}' (U+{rune.Value:X4})";
    }

    /// <summary>The source text of a key, for error messages.</summary>
    private readonly string KeyText(int start, int end) => Encoding.UTF8.GetString(_src[start..end]).Trim(' ', '\t');

    private static string Where(TomlPosition position) => $"line {position.Line}, column {position.Column}";
}
