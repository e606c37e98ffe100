namespace Registry.Toml;

/// <summary>Table headers: std-table = "[" key "]", array-table = "[[" key "]]".</summary>
internal ref partial struct TomlDocumentParser
{
    private void ParseTableHeader()
    {
        var open = _pos;
        var headerPosition = PositionAt(open);
        var isArray = _pos + 1 < _src.Length && _src[_pos + 1] == '[';
        _pos += isArray ? 2 : 1;
        SkipWhitespace();

        var keyStart = _pos;
        var parent = _root;
        while (true)
        {
            var segmentStart = _pos;
            var segmentPosition = PositionAt(segmentStart);
            var name = ParseSimpleKey(segmentStart == keyStart ? "a table name" : "a key after '.'");
            var segmentEnd = _pos;
            SkipWhitespace();
            if (_pos < _src.Length && _src[_pos] == '.')
            {
                _pos++;
                SkipWhitespace();
                parent = DescendHeader(parent, name, segmentPosition, segmentStart, KeyText(keyStart, segmentEnd));
                continue;
            }

            var close = isArray ? "]]" : "]";
            if (!TryMatch((byte)']') || (isArray && !TryMatch((byte)']')))
            {
                throw Error(_pos, $"expected '{close}' to close the header after '{KeyText(keyStart, segmentEnd)}', found {Describe(_pos)}");
            }

            var header = KeyText(open, _pos);
            _current = isArray
                ? AppendArrayTable(parent, name, segmentPosition, headerPosition, segmentStart, header)
                : DefineTable(parent, name, segmentPosition, headerPosition, segmentStart, header);
            if (!TryFinishLine())
            {
                throw Error(_pos, $"expected a newline or end of document after the header {header}, found {Describe(_pos)}");
            }

            return;
        }
    }

    /// <summary>Follows one non-final segment of a header; a missing table is created as an implicit parent.</summary>
    private readonly TomlTable DescendHeader(TomlTable parent, string name, TomlPosition position, int offset, string path)
    {
        if (!parent.TryGetValue(name, out var existing))
        {
            var created = new TomlTable(position, TomlTableOrigin.Implicit);
            parent.Add(name, position, created);
            return created;
        }

        return existing switch
        {
            TomlTable { Origin: not TomlTableOrigin.Inline } table => table,
            TomlArray { IsArrayOfTables: true } array => (TomlTable)array.Last(),
            TomlTable => throw Error(offset, $"cannot add a table under '{path}': it is an inline table (at {DefinedAt(parent, name, existing)}), which is complete where it is written"),
            TomlArray => throw Error(offset, $"cannot add a table under '{path}': it is an inline array (at {DefinedAt(parent, name, existing)}), not an array of tables"),
            _ => throw Error(offset, $"cannot use '{path}' as a table: it is already defined as {Article(existing.Kind)} at {DefinedAt(parent, name, existing)}"),
        };
    }

    /// <summary>[a.b]: defines a table once; a table created earlier only as a header's parent may be defined now.</summary>
    private readonly TomlTable DefineTable(TomlTable parent, string name, TomlPosition keyPosition, TomlPosition headerPosition, int offset, string header)
    {
        if (!parent.TryGetValue(name, out var existing))
        {
            var created = new TomlTable(headerPosition, TomlTableOrigin.Header);
            parent.Add(name, keyPosition, created);
            return created;
        }

        if (existing is TomlTable { Origin: TomlTableOrigin.Implicit } table)
        {
            table.DefineByHeader(headerPosition);
            return table;
        }

        var at = DefinedAt(parent, name, existing);
        throw Error(offset, existing switch
        {
            TomlTable { Origin: TomlTableOrigin.Header } => $"table {header} is already defined at {at}",
            TomlTable { Origin: TomlTableOrigin.Dotted } => $"table {header} is already defined by dotted keys at {at}; a header cannot define it again",
            TomlTable => $"table {header} is already defined as an inline table at {at}",
            TomlArray { IsArrayOfTables: true } => $"{header} is already an array of tables (at {at}); use [{header}] to add an element",
            _ => $"cannot define table {header}: the key is already defined as {Article(existing.Kind)} at {at}",
        });
    }

    /// <summary>[[a.b]]: appends a new table to an array of tables, creating the array on first use.</summary>
    private readonly TomlTable AppendArrayTable(TomlTable parent, string name, TomlPosition keyPosition, TomlPosition headerPosition, int offset, string header)
    {
        TomlArray array;
        if (!parent.TryGetValue(name, out var existing))
        {
            array = new TomlArray(headerPosition, isArrayOfTables: true);
            parent.Add(name, keyPosition, array);
        }
        else if (existing is TomlArray { IsArrayOfTables: true } tables)
        {
            array = tables;
        }
        else
        {
            throw Error(offset, existing switch
            {
                TomlArray => $"cannot append to {header}: the key is an inline array (at {DefinedAt(parent, name, existing)}), which cannot be extended",
                _ => $"cannot define {header}: the key is already defined as {Article(existing.Kind)} at {DefinedAt(parent, name, existing)}",
            });
        }

        var element = new TomlTable(headerPosition, TomlTableOrigin.Header);
        array.Add(element);
        return element;
    }

    private bool TryMatch(byte expected)
    {
        if (_pos < _src.Length && _src[_pos] == expected)
        {
            _pos++;
            return true;
        }

        return false;
    }
}
