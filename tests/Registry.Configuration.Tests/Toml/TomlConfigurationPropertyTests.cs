using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Configuration;
using Registry.Configuration.Toml;

namespace Registry.Configuration.Tests.Toml;

/// <summary>Generated documents flow into configuration unchanged: every integer and string arrives at its section:key path.</summary>
public sealed class TomlConfigurationPropertyTests
{
    [Fact]
    public void AddTomlFile_GeneratedSections_EveryValueAtItsPath()
    {
        var entry = Gen.Zip(
            Gen.Choose(0, 5),
            Gen.Zip(ArbMap.Default.GeneratorFor<long>(), ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => string.Concat(s.Get.EnumerateRunes()))));
        var document = entry.ListOf();

        var path = Path.Combine(Directory.CreateTempSubdirectory("registry-config-tests-").FullName, "generated.toml");
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(document.ToArbitrary(), entries =>
        {
            var text = new StringBuilder();
            var expected = new Dictionary<string, string>();
            foreach (var group in entries.Select((e, i) => (Section: e.Item1, Index: i, Number: e.Item2.Item1, Text: e.Item2.Item2)).GroupBy(e => e.Section))
            {
                text.Append(CultureInfo.InvariantCulture, $"[section{group.Key}]\n");
                foreach (var e in group)
                {
                    text.Append(CultureInfo.InvariantCulture, $"n{e.Index} = {e.Number}\ns{e.Index} = {Quote(e.Text)}\n");
                    expected[$"section{group.Key}:n{e.Index}"] = e.Number.ToString(CultureInfo.InvariantCulture);
                    expected[$"section{group.Key}:s{e.Index}"] = e.Text;
                }
            }

            File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            var configuration = new ConfigurationBuilder().AddTomlFile(path).Build();

            Assert.All(expected, pair => Assert.Equal(pair.Value, configuration[pair.Key]));
            Assert.Equal(expected.Count, configuration.AsEnumerable().Count(p => p.Value is not null));
        }));
    }

    /// <summary>A basic string, escaping quotes, backslashes and control characters (lone surrogates were replaced by U+FFFD when generated).</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var rune in text.EnumerateRunes())
        {
            quoted.Append(rune.Value switch
            {
                '"' or '\\' => "\\" + (char)rune.Value,
                < 0x20 or 0x7F => $"\\u{rune.Value:X4}",
                _ => rune.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
