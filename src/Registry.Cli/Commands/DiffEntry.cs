namespace Registry.Cli.Commands;

/// <summary>One change of a proposal compared with the proposal's base version (status: added, changed, unchanged, removed, absent).</summary>
internal sealed record DiffEntry(string Op, string Subject, string Status, IReadOnlyList<AttrChange> Attrs);
