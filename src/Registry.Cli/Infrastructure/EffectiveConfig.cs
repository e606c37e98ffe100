using System.Globalization;
using Microsoft.Extensions.Configuration;
using Registry.Configuration;
using Registry.Configuration.Toml;

namespace Registry.Cli.Infrastructure;

/// <summary>One configuration value and where it came from.</summary>
internal sealed record ConfigValue(string Section, string Key, string Value, bool IsString, string Source);

/// <summary>
/// svc-registry's configuration as the service would read it: built-in defaults, then the TOML file, then
/// (optionally) the <c>SVCR_&lt;SECTION&gt;__&lt;KEY&gt;</c>, <c>REGISTRY_ADDR</c>, <c>METRICS_ADDR</c> and
/// <c>RON_BUS_SOCK</c> variables. The keys are the service's own options types (src/Registry.Configuration, which both
/// reference, so the two cannot drift).
/// </summary>
internal sealed class EffectiveConfig
{
    /// <summary>
    /// Where ronctl looks when neither <c>--config</c> nor <c>RON_CONFIG</c> is given: the path ops/install.sh and the
    /// systemd unit use, then the upstream runbook's.
    /// </summary>
    public static readonly string[] DefaultPaths = ["/etc/svc-registry/svc-registry.toml", "/etc/ron/svc-registry.toml"];

    private EffectiveConfig(string? filePath, IReadOnlyList<ConfigValue> values)
    {
        FilePath = filePath;
        Values = values;
    }

    /// <summary>The TOML file, or null in dev mode (no file).</summary>
    public string? FilePath { get; }

    public IReadOnlyList<ConfigValue> Values { get; }

    public string? Get(string section, string key) => Values.FirstOrDefault(v => v.Section == section && v.Key == key)?.Value;

    /// <summary>The configuration file: <paramref name="flag"/>, else RON_CONFIG, else the first of <see cref="DefaultPaths"/> that exists.</summary>
    public static string? Locate(CliEnvironment env, string? flag)
    {
        var path = flag ?? env.Variable("RON_CONFIG");
        if (!string.IsNullOrWhiteSpace(path))
        {
            var full = env.ResolvePath(path);
            return File.Exists(full) ? full : throw CliException.Usage($"configuration file '{full}' does not exist");
        }

        return DefaultPaths.FirstOrDefault(File.Exists);
    }

    public static EffectiveConfig Load(CliEnvironment env, string? flag, bool withEnvironment)
    {
        var path = Locate(env, flag);
        IConfigurationRoot? file = null;
        if (path is not null)
        {
            try
            {
                file = RegistryConfiguration.Build(new ConfigurationBuilder().AddTomlFile(path));
            }
            catch (ConfigurationException ex)
            {
                throw CliException.Usage(string.Join('\n', ex.Problems));
            }
        }

        var values = new List<ConfigValue>();
        foreach (var key in OptionsSchema.Registry.Keys)
        {
            var type = key.Property.PropertyType;
            var value = Convert.ToString(key.Default, CultureInfo.InvariantCulture) ?? string.Empty;
            var source = "default";
            if (file?[key.Path] is { } fromFile)
            {
                (value, source) = (fromFile, "file");
            }

            if (withEnvironment && Override(env, key.Path) is { } overridden)
            {
                (value, source) = (overridden.Value, "env " + overridden.Variable);
            }

            values.Add(new ConfigValue(key.Section, key.Name, type == typeof(bool) ? value.ToLowerInvariant() : value, type == typeof(string), source));
        }

        return new EffectiveConfig(path, values);
    }

    /// <summary>The address variable for <paramref name="path"/> when set, else its <c>SVCR_*</c> variable, as the service reads them.</summary>
    private static (string Value, string Variable)? Override(CliEnvironment env, string path)
    {
        foreach (var (special, specialPath) in RegistryConfiguration.AddressVariables)
        {
            if (specialPath == path && env.Variable(special) is { Length: > 0 } direct)
            {
                return (direct, special);
            }
        }

        var variable = RegistryConfiguration.VariableFor(path);
        return env.Variable(variable) is { } value ? (value, variable) : null;
    }
}
