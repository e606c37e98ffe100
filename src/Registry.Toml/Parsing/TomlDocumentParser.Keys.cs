using System.Text;

namespace Registry.Toml;

/// <summary>Keys and key/value pairs: key = simple-key *( dot-sep simple-key ), keyval = key keyval-sep val.</summary>
internal ref partial struct TomlDocumentParser
{
    /// <summary>Parses <c>key = value</c> into <paramref name="table"/> and returns the offset where the key ends.</summary>
    private int ParseKeyValue(TomlTable table)
    {
        var keyStart = _pos;
        while (true)
        {
            var segmentStart = _pos;
            var segmentPosition = PositionAt(segmentStart);
            var name = ParseSimpleKey(segmentStart == keyStart ? "a key" : "a key after '.'");
            var segmentEnd = _pos;
            SkipWhitespace();
            if (_pos < _src.Length && _src[_pos] == '.')
            {
                _pos++;
                SkipWhitespace();
                table = DescendDottedKey(table, name, segmentPosition, segmentStart, KeyText(keyStart, segmentEnd));
                continue;
            }

            if (_pos >= _src.Length || _src[_pos] != '=')
            {
                throw Error(_pos, $"expected '=' after key '{KeyText(keyStart, segmentEnd)}', found {Describe(_pos)}");
            }

            if (table.TryGetKeyPosition(name, out var previous))
            {
                throw Error(segmentStart, $"duplicate key '{KeyText(keyStart, segmentEnd)}': it is already defined at {Where(previous)}");
            }

            _pos++;
            SkipWhitespace();
            table.Add(name, segmentPosition, ParseValue());
            return segmentEnd;
        }
    }

    /// <summary>Follows one non-final segment of a dotted key, creating the table if it is missing.</summary>
    private readonly TomlTable DescendDottedKey(TomlTable table, string name, TomlPosition position, int offset, string path)
    {
        if (!table.TryGetValue(name, out var existing))
        {
            var created = new TomlTable(position, TomlTableOrigin.Dotted);
            table.Add(name, position, created);
            return created;
        }

        if (existing is TomlTable { Origin: TomlTableOrigin.Dotted or TomlTableOrigin.Implicit } child)
        {
            // Once dotted keys have added to it, the table counts as defined by them: a later [header] may not define it again.
            child.Origin = TomlTableOrigin.Dotted;
            return child;
        }

        var at = DefinedAt(table, name, existing);
        throw Error(offset, existing switch
        {
            TomlTable { Origin: TomlTableOrigin.Inline } => $"cannot add keys to '{path}' with dotted keys: it is an inline table (at {at}), which is complete where it is written",
            TomlTable => $"cannot add keys to '{path}' with dotted keys: the table is defined by a [header] at {at}",
            TomlArray => $"cannot use '{path}' as a table: it is an array (at {at})",
            _ => $"cannot use '{path}' as a table: it is already defined as {Article(existing.Kind)} at {at}",
        });
    }

    /// <summary>Where an existing entry was defined, for errors: its header for header-defined tables and arrays of tables, else its key.</summary>
    private static string DefinedAt(TomlTable parent, string name, TomlValue existing) =>
        Where(existing is TomlTable { Origin: TomlTableOrigin.Header } or TomlArray { IsArrayOfTables: true } ? existing.Position : parent.GetKeyPosition(name));

    /// <summary>simple-key = quoted-key / unquoted-key.</summary>
    private string ParseSimpleKey(string expected)
    {
        if (_pos < _src.Length)
        {
            var b = _src[_pos];
            if (b == '"' || b == '\'')
            {
                if (_src[_pos..].StartsWith(b == '"' ? "\"\"\""u8 : "'''"u8))
                {
                    throw Error(_pos, "expected a key: a key cannot be a multi-line string");
                }

                return b == '"' ? ParseBasicString() : ParseLiteralString();
            }

            var start = _pos;
            while (_pos < _src.Length && IsBareKeyByte(_src[_pos]))
            {
                _pos++;
            }

            if (_pos > start)
            {
                return Encoding.ASCII.GetString(_src[start.._pos]);
            }
        }

        throw Error(_pos, $"expected {expected} (letters, digits, '_', '-', or a quoted string), found {Describe(_pos)}");
    }

    /// <summary>unquoted-key = 1*( ALPHA / DIGIT / %x2D / %x5F ).</summary>
    private static bool IsBareKeyByte(byte b) =>
        (uint)((b | 0x20) - 'a') <= 'z' - 'a' || (uint)(b - '0') <= 9 || b == '_' || b == '-';

    private static string Article(TomlValueKind kind) => kind switch
    {
        TomlValueKind.String => "a string",
        TomlValueKind.Integer => "an integer",
        TomlValueKind.Float => "a float",
        TomlValueKind.Boolean => "a boolean",
        TomlValueKind.OffsetDateTime => "an offset date-time",
        TomlValueKind.LocalDateTime => "a local date-time",
        TomlValueKind.LocalDate => "a local date",
        TomlValueKind.LocalTime => "a local time",
        TomlValueKind.Array => "an array",
        _ => "a table",
    };
}
