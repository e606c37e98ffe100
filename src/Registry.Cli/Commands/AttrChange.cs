namespace Registry.Cli.Commands;

/// <summary>One attribute (dotted path; arrays compared whole) before and after; null = absent.</summary>
internal sealed record AttrChange(string Path, string? Old, string? New);
