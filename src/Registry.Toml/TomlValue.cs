namespace Registry.Toml;

/// <summary>A value decoded from a TOML document: a table, an array or one of eight scalar kinds.</summary>
/// <remarks>
/// The concrete types are <see cref="TomlTable"/>, <see cref="TomlArray"/>, <see cref="TomlString"/>,
/// <see cref="TomlInteger"/>, <see cref="TomlFloat"/>, <see cref="TomlBoolean"/>,
/// <see cref="TomlOffsetDateTime"/>, <see cref="TomlLocalDateTime"/>, <see cref="TomlLocalDate"/> and
/// <see cref="TomlLocalTime"/>; switch on <see cref="Kind"/> or on the type. Values produced by
/// <see cref="TomlParser"/> are never modified after parsing returns, so a parsed document may be
/// read from several threads at once.
/// </remarks>
public abstract class TomlValue
{
    private protected TomlValue(TomlPosition position) => Position = position;

    /// <summary>Which kind of value this is.</summary>
    public abstract TomlValueKind Kind { get; }

    /// <summary>
    /// Where the value starts in the source: the first character of a scalar, the <c>[</c> or
    /// <c>{</c> of an array or inline table, or the header (or first dotted key) that created a table.
    /// </summary>
    public TomlPosition Position { get; private protected set; }
}
