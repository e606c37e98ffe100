using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Registry.Api.Config;
using Registry.Toml;

namespace Registry.Api.Tests.Ops;

/// <summary>
/// ops/config/svc-registry.toml: loads through the service's own loader, names every key of
/// <see cref="RegistryOptions"/>, gives each its built-in default (except the keys marked PRODUCTION),
/// and documents each key's range as the code enforces it.
/// </summary>
public sealed class ConfigSampleTests
{
    /// <summary>Keys a deployment with a configuration file sets; their built-in defaults are dev mode's.</summary>
    private static readonly string[] s_production =
        ["service.data_dir", "trust.trust_roots_file", "trust.trust_roots_digest", "auth.capabilities_file", "storage.backup_dir"];

    private static string SamplePath => OpsTool.RepoFile("ops", "config", "svc-registry.toml");

    [Fact]
    public void Sample_LoadsThroughTheServiceLoader_AsAConfigurationFile()
    {
        var loaded = ConfigLoader.Load(["--config", SamplePath], _ => null);
        Assert.False(loaded.DevMode);
        Assert.Equal(SamplePath, loaded.ConfigPath);
        Assert.Equal("/var/lib/svc-registry", loaded.DataDir);
    }

    [Fact]
    public void Sample_NamesEveryKey_WithItsDefault_UnlessMarkedProduction()
    {
        var loaded = ConfigLoader.Load(["--config", SamplePath], _ => null).Options;
        var defaults = new RegistryOptions();
        var file = TomlParser.Parse(File.ReadAllText(SamplePath));
        var lines = File.ReadAllLines(SamplePath);
        var keys = Leaves().ToList();
        Assert.True(keys.Count >= 30, $"only {keys.Count} keys found by reflection");

        foreach (var (path, section, property) in keys)
        {
            var (sectionName, keyName) = (path.Split('.')[0], path.Split('.')[1]);
            Assert.True(file.TryGetValue(sectionName, out var table) && ((TomlTable)table).ContainsKey(keyName), $"'{path}' is missing from the sample");
            var comment = CommentAbove(lines, sectionName, keyName);
            Assert.True(comment.Length > 0, $"'{path}' has no comment");
            var actual = property.GetValue(section.GetValue(loaded));
            var builtIn = property.GetValue(section.GetValue(defaults));
            if (s_production.Contains(path))
            {
                Assert.Contains("PRODUCTION", comment, StringComparison.Ordinal);
                Assert.Contains($"default \"{builtIn}\"", comment, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(Equals(builtIn, actual), $"'{path}' is {actual} in the sample but defaults to {builtIn}");
                Assert.DoesNotContain("PRODUCTION", comment, StringComparison.Ordinal);
            }

            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                Assert.True(comment.Contains($"{range.Minimum}..{range.Maximum}", StringComparison.Ordinal), $"'{path}': the comment does not give the range {range.Minimum}..{range.Maximum}");
            }
        }

        var documented = file.Keys.SelectMany(s => ((TomlTable)file[s]).Keys.Select(k => s + "." + k)).Order();
        Assert.Equal(keys.Select(k => k.Path).Order(), documented);
    }

    [Fact]
    public void Sample_WithAnUnknownKeyAdded_IsRejectedNamingTheKey()
    {
        // The sample is only a check of the loader if the loader rejects what is not a key.
        var copy = Path.Combine(Directory.CreateTempSubdirectory("svcr-config-").FullName, "svc-registry.toml");
        File.WriteAllText(copy, File.ReadAllText(SamplePath).Replace("[limits]\n", "[limits]\nmax_inflite = 5\n", StringComparison.Ordinal));
        var error = Assert.Throws<ConfigurationException>(() => ConfigLoader.Load(["--config", copy], _ => null));
        Assert.Contains("max_inflite", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every leaf key of <see cref="RegistryOptions"/> as section.key, with its properties.</summary>
    private static IEnumerable<(string Path, PropertyInfo Section, PropertyInfo Property)> Leaves()
    {
        foreach (var section in Keyed(typeof(RegistryOptions)))
        {
            foreach (var property in Keyed(section.PropertyType))
            {
                yield return ($"{Name(section)}.{Name(property)}", section, property);
            }
        }
    }

    private static IEnumerable<PropertyInfo> Keyed(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not null);

    private static string Name(PropertyInfo property) => property.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name;

    /// <summary>The comment lines directly above <c>key =</c> in <c>[section]</c>, joined.</summary>
    private static string CommentAbove(string[] lines, string section, string key)
    {
        var start = Array.IndexOf(lines, $"[{section}]");
        var at = Array.FindIndex(lines, start + 1, l => l.StartsWith(key + " = ", StringComparison.Ordinal));
        var comment = new List<string>();
        for (var i = at - 1; i > start && lines[i].StartsWith('#'); i--)
        {
            comment.Insert(0, lines[i]);
        }

        return string.Join(' ', comment);
    }
}
