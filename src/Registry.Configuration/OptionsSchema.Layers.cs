using System.Globalization;
using Microsoft.Extensions.Configuration;
using Registry.Configuration.Toml;

namespace Registry.Configuration;

/// <summary>Every other layer (environment variables, flags): the merged configuration's text, key by key.</summary>
public sealed partial class OptionsSchema
{
    private static void CheckLayers(IConfiguration section, IConfigurationRoot root, OptionSection schema, Func<string, string> describe, List<ConfigurationProblem> problems)
    {
        foreach (var child in section.GetChildren())
        {
            // What a TOML file still supplies was checked above, with its line and column.
            if (FromTomlOnly(root, child))
            {
                continue;
            }

            var keyPath = child.Path.Replace(':', '.').ToLowerInvariant();
            var where = describe(child.Value is not null ? child.Path : FirstLeaf(child));
            var member = Lookup(schema, child.Key, keyPath, where, problems);
            if (member is null)
            {
                continue;
            }

            if (member.Section is { } inner)
            {
                if (child.Value is not null)
                {
                    problems.Add(new(where, $"'{keyPath}' must be a section (SVCR_<SECTION>__<KEY>), not a value"));
                }
                else
                {
                    CheckLayers(child, root, inner, describe, problems);
                }
            }
            else if (child.Value is null)
            {
                problems.Add(new(where, $"'{keyPath}' must be {member.Expected}, not a section"));
            }
            else if (Parse(member, child.Value) is { } value)
            {
                CheckRange(member, keyPath, value, where, problems);
            }
            else
            {
                problems.Add(new(where, $"'{keyPath}' must be {member.Expected}, found '{child.Value}'"));
            }
        }
    }

    /// <summary>The value as the binder would read the text, or null when it would fail.</summary>
    private static object? Parse(OptionMember member, string text) => member.Kind switch
    {
        OptionKind.String => text,
        OptionKind.Boolean => bool.TryParse(text, out var b) ? b : null,
        OptionKind.Integer => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : null,
        OptionKind.Float => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : null,
        OptionKind.Enum => Enum.GetNames(member.Type).Contains(text.Trim(), StringComparer.OrdinalIgnoreCase) ? text : null,
        _ => null,
    };

    private static bool FromTomlOnly(IConfigurationRoot root, IConfigurationSection section) =>
        section.Value is not null ? root.TryGetTomlEntry(section.Path, out _) : section.GetChildren().All(c => FromTomlOnly(root, c));

    private static string FirstLeaf(IConfigurationSection section) =>
        section.AsEnumerable().FirstOrDefault(p => p.Value is not null).Key ?? section.Path;
}
