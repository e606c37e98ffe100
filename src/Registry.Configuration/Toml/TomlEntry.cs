using Tomlyn.Syntax;

namespace Registry.Configuration.Toml;

/// <summary>One configuration key a TOML document sets, where it was written, and its syntax.</summary>
/// <param name="Path">The configuration path, <c>limits:max_inflight</c> or <c>peers:0:name</c>.</param>
/// <param name="KeyPath">The key as a TOML author writes it: <c>limits.max_inflight</c>, <c>peers[0].name</c>.</param>
/// <param name="Kind">Scalar, table or array.</param>
/// <param name="Value">The scalar's syntax node (null for tables and arrays).</param>
/// <param name="SourceName">The file.</param>
/// <param name="Line">1-based line of the key (of the element, for array elements).</param>
/// <param name="Column">1-based column, counting Unicode scalar values.</param>
public sealed record TomlEntry(string Path, string KeyPath, TomlEntryKind Kind, ValueSyntax? Value, string SourceName, int Line, int Column)
{
    /// <summary><c>file:line:column</c>, the form editors and compilers use.</summary>
    public string Location => $"{SourceName}:{Line}:{Column}";
}
