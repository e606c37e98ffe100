using Microsoft.Extensions.Configuration;
using Registry.Api.Config;
using Registry.Configuration;
using Registry.Configuration.Toml;

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
        var file = new ConfigurationBuilder().AddTomlFile(SamplePath).Build();
        var document = Assert.IsType<TomlConfigurationProvider>(Assert.Single(file.Providers)).Document!;
        var lines = File.ReadAllLines(SamplePath);
        var keys = OptionsSchema.Registry.Keys;
        Assert.True(keys.Count >= 30, $"only {keys.Count} keys found by reflection");

        foreach (var key in keys)
        {
            Assert.True(document.TryGetEntry(key.Path, out _), $"'{key.KeyPath}' is missing from the sample");
            var comment = CommentAbove(lines, key.Section, key.Name);
            Assert.True(comment.Length > 0, $"'{key.KeyPath}' has no comment");
            var actual = Read(loaded, key);
            if (s_production.Contains(key.KeyPath))
            {
                Assert.Contains("PRODUCTION", comment, StringComparison.Ordinal);
                Assert.Contains($"default \"{key.Default}\"", comment, StringComparison.Ordinal);
            }
            else
            {
                Assert.True(Equals(key.Default, actual), $"'{key.KeyPath}' is {actual} in the sample but defaults to {key.Default}");
                Assert.DoesNotContain("PRODUCTION", comment, StringComparison.Ordinal);
            }

            if (key.Range is { } range)
            {
                Assert.True(comment.Contains($"{range.Minimum}..{range.Maximum}", StringComparison.Ordinal), $"'{key.KeyPath}': the comment does not give the range {range.Minimum}..{range.Maximum}");
            }
        }

        var documented = document.Entries.Where(e => e.Kind == TomlEntryKind.Scalar).Select(e => e.KeyPath).Order();
        Assert.Equal(keys.Select(k => k.KeyPath).Order(), documented);
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

    /// <summary>The key's value in <paramref name="options"/> (two levels: section, then key).</summary>
    private static object? Read(RegistryOptions options, OptionKey key)
    {
        var section = typeof(RegistryOptions).GetProperties()
            .Single(p => p.PropertyType == key.Property.DeclaringType)
            .GetValue(options);
        return key.Property.GetValue(section);
    }

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
