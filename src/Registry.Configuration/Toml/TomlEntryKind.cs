namespace Registry.Configuration.Toml;

/// <summary>What a TOML key holds: a scalar (string, number, boolean, date-time), a table or an array.</summary>
public enum TomlEntryKind
{
    /// <summary>A string, integer, float, boolean or date-time.</summary>
    Scalar,

    /// <summary>A table: a <c>[header]</c>, an inline table, an element of <c>[[array]]</c>, or a dotted key's parent.</summary>
    Table,

    /// <summary>An array, or an array of tables.</summary>
    Array,
}
