using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Registry.Configuration.Toml;
using Tomlyn;

namespace Registry.Configuration;

/// <summary>
/// What svc-registry and <c>ronctl config</c> both need to read svc-registry's configuration the same way: the
/// names of the environment layers, building a configuration with the TOML file's syntax errors as problems,
/// where a value came from, and the checked, bound <see cref="RegistryOptions"/>.
/// </summary>
public static class RegistryConfiguration
{
    /// <summary>The prefix of the per-key variables, <c>SVCR_&lt;SECTION&gt;__&lt;KEY&gt;</c>.</summary>
    public const string EnvironmentPrefix = "SVCR_";

    /// <summary>The address variables (they win over <c>SVCR_*</c>), each with the key it sets.</summary>
    public static IReadOnlyList<(string Variable, string Path)> AddressVariables { get; } =
        [("REGISTRY_ADDR", "listen:api_addr"), ("METRICS_ADDR", "listen:metrics_addr"), ("RON_BUS_SOCK", "listen:bus_sock")];

    /// <summary>The <c>SVCR_*</c> variable that sets a configuration path.</summary>
    /// <param name="path">For example <c>limits:max_inflight</c>.</param>
    /// <returns>For example <c>SVCR_LIMITS__MAX_INFLIGHT</c>.</returns>
    public static string VariableFor(string path) =>
        EnvironmentPrefix + path.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Builds the configuration; a TOML file that does not parse becomes one problem per Tomlyn diagnostic.</summary>
    /// <param name="builder">The layers.</param>
    /// <returns>The built configuration.</returns>
    /// <exception cref="ConfigurationException">A TOML file is not TOML 1.1; <see cref="ConfigurationException.Problems"/> names file, line and column.</exception>
    public static IConfigurationRoot Build(IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex) when (ex.InnerException is TomlException toml)
        {
            var problems = toml.Diagnostics is { Count: > 0 } diagnostics
                ? diagnostics.Select(d => new ConfigurationProblem($"{d.Span.FileName}:{d.Span.Start.Line + 1}:{d.Span.Start.Column + 1}", d.Message)).ToList()
                : [new ConfigurationProblem(toml.SourceName ?? "configuration file", toml.Message)];
            throw new ConfigurationException(problems, toml);
        }
    }

    /// <summary>Checks every layer against <see cref="RegistryOptions"/> and binds it.</summary>
    /// <param name="configuration">The built configuration.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ConfigurationException">With every problem listed.</exception>
    public static RegistryOptions Bind(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = OptionsSchema.Registry.Check(configuration, path => SourceOf(configuration, path));
        return problems.Count > 0
            ? throw new ConfigurationException(problems)
            : configuration.Get<RegistryOptions>() ?? new RegistryOptions();
    }

    /// <summary>Where the value of <paramref name="path"/> comes from: <c>file:line:column</c>, <c>env SVCR_...</c>, another layer, or <c>default</c>.</summary>
    /// <param name="configuration">The built configuration.</param>
    /// <param name="path">A configuration path such as <c>limits:max_inflight</c>.</param>
    /// <returns>A short description for messages and <c>ronctl config print</c>.</returns>
    public static string SourceOf(IConfigurationRoot configuration, string path)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = configuration.Providers.LastOrDefault(p => p.TryGet(path, out _));
        return provider switch
        {
            null => "default",
            TomlConfigurationProvider => configuration.TryGetTomlEntry(path, out var entry) ? entry.Location : "configuration file",
            EnvironmentVariablesConfigurationProvider => "env " + VariableFor(path),
            _ => "flag or environment override",
        };
    }
}
