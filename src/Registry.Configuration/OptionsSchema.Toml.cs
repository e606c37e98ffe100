using System.Globalization;
using Registry.Configuration.Toml;
using Tomlyn.Syntax;

namespace Registry.Configuration;

/// <summary>The TOML file: each entry of Tomlyn's syntax tree against the schema, by TOML type.</summary>
public sealed partial class OptionsSchema
{
    private void CheckToml(TomlDocument document, List<ConfigurationProblem> problems)
    {
        // Parents come before their children, so each entry resolves against its parent's member; null marks a
        // key already reported (nothing under it is reported again).
        var resolved = new Dictionary<string, OptionMember?>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in document.Entries)
        {
            var cut = entry.Path.LastIndexOf(':');
            var parent = cut < 0 ? _root : resolved.GetValueOrDefault(entry.Path[..cut])?.Section;
            var member = parent is null ? null : Lookup(parent, entry.Path[(cut + 1)..], entry.KeyPath, entry.Location, problems);
            resolved[entry.Path] = member is not null && CheckEntry(member, entry, problems) ? member : null;
        }
    }

    private static bool CheckEntry(OptionMember member, TomlEntry entry, List<ConfigurationProblem> problems)
    {
        object? value = (member.Kind, entry.Value) switch
        {
            (OptionKind.Section, _) when entry.Kind == TomlEntryKind.Table => string.Empty,
            (OptionKind.String, StringValueSyntax s) => s.Value,
            (OptionKind.Boolean, BooleanValueSyntax b) => b.Value,
            (OptionKind.Integer, IntegerValueSyntax i) => i.Value,
            (OptionKind.Float, FloatValueSyntax f) => f.Value,
            (OptionKind.Float, IntegerValueSyntax i) => (double)i.Value,
            (OptionKind.Enum, StringValueSyntax s) when Enum.GetNames(member.Type).Contains(s.Value, StringComparer.OrdinalIgnoreCase) => s.Value,
            _ => null,
        };
        if (value is null)
        {
            problems.Add(new(entry.Location, $"'{entry.KeyPath}' must be {member.Expected}, found {Describe(entry)}"));
            return false;
        }

        if (member.Kind != OptionKind.Section)
        {
            CheckRange(member, entry.KeyPath, value, entry.Location, problems);
        }

        return true;
    }

    private static string Describe(TomlEntry entry) => entry.Value switch
    {
        StringValueSyntax s => $"a string (\"{s.Value}\")",
        IntegerValueSyntax i => $"an integer ({i.Value.ToString(CultureInfo.InvariantCulture)})",
        FloatValueSyntax f => $"a float ({f.Value.ToString(CultureInfo.InvariantCulture)})",
        BooleanValueSyntax b => $"a boolean ({(b.Value ? "true" : "false")})",
        DateTimeValueSyntax d => $"a date-time ({d.Value})",
        _ => entry.Kind == TomlEntryKind.Table ? "a table" : "an array",
    };
}
