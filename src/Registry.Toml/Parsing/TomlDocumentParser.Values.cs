namespace Registry.Toml;

/// <summary>val = string / boolean / array / inline-table / date-time / float / integer.</summary>
internal ref partial struct TomlDocumentParser
{
    private TomlValue ParseValue()
    {
        if (_pos >= _src.Length)
        {
            throw Error(_pos, "expected a value, found end of document");
        }

        var position = PositionAt(_pos);
        var b = _src[_pos];
        switch (b)
        {
            case (byte)'"':
                return new TomlString(_src[_pos..].StartsWith("\"\"\""u8) ? ParseMultilineBasicString() : ParseBasicString(), position);
            case (byte)'\'':
                return new TomlString(_src[_pos..].StartsWith("'''"u8) ? ParseMultilineLiteralString() : ParseLiteralString(), position);
            case (byte)'[':
                return ParseArray(position);
            case (byte)'{':
                return ParseInlineTable(position);
            case (byte)'t' when IsWord("true"u8):
                _pos += 4;
                return new TomlBoolean(true, position);
            case (byte)'f' when IsWord("false"u8):
                _pos += 5;
                return new TomlBoolean(false, position);
            case (byte)'i' when IsWord("inf"u8):
            case (byte)'n' when IsWord("nan"u8):
            case (byte)'+' or (byte)'-':
                return ParseNumber(position);
            case >= (byte)'0' and <= (byte)'9':
                return IsDateAhead() || IsTimeAhead() ? ParseDateTime(position) : ParseNumber(position);
            default:
                var wordEnd = _pos;
                while (wordEnd < _src.Length && IsBareKeyByte(_src[wordEnd]))
                {
                    wordEnd++;
                }

                throw Error(_pos, wordEnd > _pos
                    ? $"expected a value, found '{KeyText(_pos, wordEnd)}' (strings must be in quotes)"
                    : $"expected a value (a string, number, boolean, date-time, array or inline table), found {Describe(_pos)}");
        }
    }

    /// <summary>Whether <paramref name="word"/> is next and is not the start of a longer bare word.</summary>
    private readonly bool IsWord(ReadOnlySpan<byte> word) =>
        _src[_pos..].StartsWith(word) && (_pos + word.Length >= _src.Length || !IsBareKeyByte(_src[_pos + word.Length]));

    /// <summary>array = "[" [ array-values ] ws-comment-newline "]": newlines, comments and a trailing comma are allowed.</summary>
    private TomlArray ParseArray(TomlPosition position)
    {
        EnterNesting();
        _pos++;
        var array = new TomlArray(position, isArrayOfTables: false);
        while (true)
        {
            SkipWhitespaceCommentsAndNewlines();
            if (TryMatch((byte)']'))
            {
                break;
            }

            array.Add(ParseValue());
            SkipWhitespaceCommentsAndNewlines();
            if (TryMatch((byte)','))
            {
                continue;
            }

            if (TryMatch((byte)']'))
            {
                break;
            }

            throw Error(_pos, $"expected ',' or ']' after an array element, found {Describe(_pos)}");
        }

        _depth--;
        return array;
    }

    /// <summary>inline-table = "{" [ keyval *( "," keyval ) ] "}" on one line, with no trailing comma (TOML 1.0).</summary>
    private TomlTable ParseInlineTable(TomlPosition position)
    {
        EnterNesting();
        _pos++;
        var table = new TomlTable(position, TomlTableOrigin.Dotted);
        SkipWhitespace();
        if (!TryMatch((byte)'}'))
        {
            while (true)
            {
                ParseKeyValue(table);
                SkipWhitespace();
                if (TryMatch((byte)'}'))
                {
                    break;
                }

                if (!TryMatch((byte)','))
                {
                    throw Error(_pos, $"expected ',' or '}}' in an inline table, found {Describe(_pos)} (an inline table must be on one line)");
                }

                SkipWhitespace();
                if (_pos < _src.Length && _src[_pos] == '}')
                {
                    throw Error(_pos, "expected a key after ',', found '}' (TOML 1.0 does not allow a trailing comma in an inline table)");
                }
            }
        }

        // Sealed only now: while open, its own dotted keys may still add to the sub-tables they created.
        table.Origin = TomlTableOrigin.Inline;
        _depth--;
        return table;
    }

    private void SkipWhitespaceCommentsAndNewlines()
    {
        while (true)
        {
            SkipWhitespace();
            if (_pos < _src.Length && _src[_pos] == '#')
            {
                SkipComment();
            }

            if (!TryConsumeNewline())
            {
                return;
            }
        }
    }

    private void EnterNesting()
    {
        if (++_depth > MaxNesting)
        {
            throw Error(_pos, $"arrays and inline tables are nested more than {MaxNesting} deep");
        }
    }
}
