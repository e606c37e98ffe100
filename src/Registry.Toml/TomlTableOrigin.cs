namespace Registry.Toml;

/// <summary>
/// How a table came to exist. TOML 1.0.0's rules against redefinition depend on it: a table may be
/// defined once by a header, may be extended by dotted keys only while no header has defined it,
/// and an inline table is closed where it is written.
/// </summary>
internal enum TomlTableOrigin
{
    /// <summary>The document root.</summary>
    Root,

    /// <summary>Created as a parent by a header such as <c>[a.b.c]</c> (for <c>a</c> and <c>a.b</c>); may still be defined once.</summary>
    Implicit,

    /// <summary>Defined by a <c>[table]</c> header or as an element of an array of tables.</summary>
    Header,

    /// <summary>Created or extended by a dotted key (<c>a.b = 1</c>); a header may add sub-tables but not redefine it.</summary>
    Dotted,

    /// <summary>An inline table (<c>{ ... }</c>): nothing may be added to it after its closing brace.</summary>
    Inline,
}
