using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Registry.Configuration.Tests.Fixtures;
using Registry.Configuration.Toml;

namespace Registry.Configuration.Tests;

/// <summary>
/// Every key of <see cref="RegistryOptions"/>: settable from the TOML file, bound to its property, and, where it has a
/// range, refused outside it with file:line:column. A key added to an options class is covered here without a new test.
/// </summary>
public sealed class RegistryOptionsTests
{
    [Fact]
    public void EveryKey_SetInTheFile_BindsToItsProperty()
    {
        var keys = OptionsSchema.Registry.Keys;
        Assert.True(keys.Count >= 30, $"only {keys.Count} keys");
        var path = SampleDocuments.WriteTempFile(Document(keys.Select(k => (k, Literal(OtherValue(k))))));

        var configuration = RegistryConfiguration.Build(new ConfigurationBuilder().AddTomlFile(path));
        var options = RegistryConfiguration.Bind(configuration);

        foreach (var key in keys)
        {
            Assert.Equal(OtherValue(key), Read(options, key));
            Assert.True(configuration.TryGetTomlEntry(key.Path, out var entry), key.KeyPath);
            Assert.Equal(key.KeyPath, entry.KeyPath);
        }
    }

    [Fact]
    public void EveryRangedKey_AboveOrBelowItsRange_IsAProblemAtItsLine()
    {
        var ranged = OptionsSchema.Registry.Keys.Where(k => k.Range is not null).ToList();
        Assert.NotEmpty(ranged);
        foreach (var outside in new Func<OptionKey, long>[] { k => Convert.ToInt64(k.Range!.Maximum, CultureInfo.InvariantCulture) + 1, k => Convert.ToInt64(k.Range!.Minimum, CultureInfo.InvariantCulture) - 1 })
        {
            var text = Document(ranged.Select(k => (k, outside(k).ToString(CultureInfo.InvariantCulture))));
            var path = SampleDocuments.WriteTempFile(text);
            var lines = text.Split('\n');

            var problems = Assert.Throws<ConfigurationException>(() => RegistryConfiguration.Bind(RegistryConfiguration.Build(new ConfigurationBuilder().AddTomlFile(path)))).Problems;

            Assert.Equal(ranged.Count, problems.Count);
            foreach (var (key, problem) in ranged.Zip(problems))
            {
                var line = Array.FindIndex(lines, l => l.StartsWith(key.Name + " = ", StringComparison.Ordinal) && IsIn(lines, l, key.Section)) + 1;
                Assert.Equal($"{path}:{line}:1", problem.Where);
                Assert.Equal($"'{key.KeyPath}' = {outside(key)} is out of range {key.Range!.Minimum}..{key.Range.Maximum}", problem.Message);
            }
        }
    }

    /// <summary>A TOML document with one table per section, in key order.</summary>
    internal static string Document(IEnumerable<(OptionKey Key, string Literal)> values)
    {
        var text = new StringBuilder();
        foreach (var section in values.GroupBy(v => v.Key.Section))
        {
            text.Append(CultureInfo.InvariantCulture, $"[{section.Key}]\n");
            foreach (var (key, literal) in section)
            {
                text.Append(CultureInfo.InvariantCulture, $"{key.Name} = {literal}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>A valid value that differs from the key's default.</summary>
    internal static object OtherValue(OptionKey key) => key.Default switch
    {
        bool b => !b,
        int i when key.Range is { } range => (int)range.Minimum == i ? (int)range.Maximum : (int)range.Minimum,
        int i => i + 1,
        string s => s + "-set",
        var other => throw new NotSupportedException($"{key.KeyPath}: no test value for {other?.GetType()}; add one here"),
    };

    internal static string Literal(object value) => value switch
    {
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        _ => "\"" + value + "\"",
    };

    internal static object? Read(RegistryOptions options, OptionKey key)
    {
        object? section = options;
        foreach (var name in key.KeyPath.Split('.')[..^1])
        {
            section = section!.GetType().GetProperties().Single(p => string.Equals(OptionName(p), name, StringComparison.OrdinalIgnoreCase)).GetValue(section);
        }

        return key.Property.GetValue(section);
    }

    private static string OptionName(System.Reflection.PropertyInfo property) =>
        (property.GetCustomAttributes(typeof(ConfigurationKeyNameAttribute), false).SingleOrDefault() as ConfigurationKeyNameAttribute)?.Name ?? property.Name;

    private static bool IsIn(string[] lines, string line, string section) =>
        lines.Take(Array.IndexOf(lines, line)).Last(l => l.StartsWith('[')) == $"[{section}]";
}
