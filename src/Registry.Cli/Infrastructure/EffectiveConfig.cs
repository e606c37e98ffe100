using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Registry.Api.Config;
using Registry.Toml.Configuration;

namespace Registry.Cli.Infrastructure;

/// <summary>One configuration value and where it came from.</summary>
internal sealed record ConfigValue(string Section, string Key, string Value, bool IsString, string Source);

/// <summary>
/// svc-registry's configuration as the service would read it: built-in defaults, then the TOML file, then
/// (optionally) the <c>SVCR_&lt;SECTION&gt;__&lt;KEY&gt;</c>, <c>REGISTRY_ADDR</c>, <c>METRICS_ADDR</c> and
/// <c>RON_BUS_SOCK</c> variables. The schema is the service's own options types (src/Registry.Api/Config/*Options.cs,
/// compiled into ronctl from the same source files, so the two cannot drift).
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
                file = new ConfigurationBuilder().AddTomlFile(path).Build();
            }
            catch (Exception ex) when (ex is Toml.TomlException or InvalidDataException or FormatException)
            {
                throw CliException.Usage($"{path}: {ex.Message}");
            }
        }

        var values = new List<ConfigValue>();
        foreach (var (section, key, type, fallback) in Schema())
        {
            var value = fallback;
            var source = "default";
            if (file?[$"{section}:{key}"] is { } fromFile)
            {
                (value, source) = (fromFile, "file");
            }

            if (withEnvironment && Override(env, section, key) is { } overridden)
            {
                (value, source) = (overridden.Value, "env " + overridden.Variable);
            }

            values.Add(new ConfigValue(section, key, type == typeof(bool) ? value.ToLowerInvariant() : value, type == typeof(string), source));
        }

        return new EffectiveConfig(path, values);
    }

    /// <summary>Every (section, key, type, default) of the service's options, in declaration order.</summary>
    public static IEnumerable<(string Section, string Key, Type Type, string Default)> Schema()
    {
        var defaults = new RegistryOptions();
        foreach (var sectionProperty in KeyedProperties(typeof(RegistryOptions)))
        {
            var sectionName = sectionProperty.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name;
            var sectionValue = sectionProperty.GetValue(defaults)!;
            foreach (var property in KeyedProperties(sectionProperty.PropertyType))
            {
                var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name;
                yield return (sectionName, name, property.PropertyType, Convert.ToString(property.GetValue(sectionValue), CultureInfo.InvariantCulture) ?? string.Empty);
            }
        }
    }

    private static IEnumerable<PropertyInfo> KeyedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>() is not null);

    private static (string Value, string Variable)? Override(CliEnvironment env, string section, string key)
    {
        var special = (section, key) switch
        {
            ("listen", "api_addr") => "REGISTRY_ADDR",
            ("listen", "metrics_addr") => "METRICS_ADDR",
            ("listen", "bus_sock") => "RON_BUS_SOCK",
            _ => null,
        };
        if (special is not null && env.Variable(special) is { Length: > 0 } direct)
        {
            return (direct, special);
        }

        var variable = $"SVCR_{section.ToUpperInvariant()}__{key.ToUpperInvariant()}";
        return env.Variable(variable) is { } value ? (value, variable) : null;
    }
}
