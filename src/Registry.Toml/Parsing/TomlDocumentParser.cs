// TOML 1.0.0 decoder (https://toml.io/en/v1.0.0, ABNF in toml.abnf of the same release).
//
// Decisions this implementation makes where the specification leaves room:
// - Input is UTF-8 bytes. A UTF-8 byte order mark is skipped; anything that is not valid UTF-8
//   (including a UTF-16 byte order mark) is rejected before parsing, with its position.
// - Newlines inside multi-line strings are normalised to "\n".
// - Integers must fit in int64 and floats in float64: a literal whose value is out of range is an
//   error, never a wrapped or infinite value.
// - Date-times keep fractional seconds to 100 ns; digits beyond the seventh are truncated, never
//   rounded. Years run 0001-9999 and a leap second (:60) is rejected, since .NET date types hold neither.
// - Redefinition: a table is defined once, by a header or by dotted keys, never both; dotted keys
//   may pass through tables that headers only created as parents; an inline table and an inline
//   array are complete where they are written. See TomlTableOrigin.
// - Arrays and inline tables nest at most MaxNesting deep, so hostile input cannot exhaust the stack.
using System.Text.Unicode;

namespace Registry.Toml;

/// <summary>A single-use, forward-only TOML 1.0.0 parser over UTF-8 bytes.</summary>
internal ref partial struct TomlDocumentParser
{
    private const int MaxNesting = 128;

    private readonly ReadOnlySpan<byte> _src;
    private readonly string? _sourceName;
    private readonly int _bodyStart;
    private readonly TomlTable _root;
    private TomlTable _current;
    private int _pos;
    private int _line;
    private int _lineStart;
    private int _columnOffset;
    private int _column;
    private int _depth;

    private TomlDocumentParser(ReadOnlySpan<byte> src, string? sourceName)
    {
        _src = src;
        _sourceName = sourceName;
        _bodyStart = src.StartsWith("\uFEFF"u8) ? 3 : 0;
        _pos = _bodyStart;
        _line = 1;
        _lineStart = _bodyStart;
        _columnOffset = _bodyStart;
        _column = 1;
        _root = new TomlTable(new TomlPosition(1, 1), TomlTableOrigin.Root);
        _current = _root;
    }

    /// <summary>Parses a whole document.</summary>
    public static TomlTable Parse(ReadOnlySpan<byte> src, string? sourceName)
    {
        var parser = new TomlDocumentParser(src, sourceName);
        parser.CheckEncoding();
        parser.ParseDocument();
        return parser._root;
    }

    /// <summary>Rejects anything that is not UTF-8 up front, so the rest of the parser can trust the bytes.</summary>
    private readonly void CheckEncoding()
    {
        var body = _src[_bodyStart..];
        if (Utf8.IsValid(body))
        {
            return;
        }

        if (body is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            throw Error(_bodyStart, "the document starts with a UTF-16 byte order mark; TOML documents must be UTF-8");
        }

        var offset = 0;
        while (System.Text.Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        throw Error(_bodyStart + offset, $"invalid UTF-8 byte 0x{body[offset]:X2}; TOML documents must be UTF-8");
    }

    /// <summary>toml = expression *( newline expression ): comments, blank lines, headers and key/value pairs.</summary>
    private void ParseDocument()
    {
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _src.Length)
            {
                return;
            }

            switch (_src[_pos])
            {
                case (byte)'#':
                    SkipComment();
                    break;
                case (byte)'\n' or (byte)'\r':
                    TryConsumeNewline();
                    break;
                case (byte)'[':
                    ParseTableHeader();
                    break;
                default:
                    ParseKeyValueLine();
                    break;
            }
        }
    }

    private void ParseKeyValueLine()
    {
        var keyStart = _pos;
        var keyEnd = ParseKeyValue(_current);
        if (!TryFinishLine())
        {
            throw Error(_pos, $"expected a newline or end of document after the value of key '{KeyText(keyStart, keyEnd)}', found {Describe(_pos)}");
        }
    }
}
