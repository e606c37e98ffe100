using Microsoft.Extensions.Configuration;
using Registry.Configuration;
using Registry.Configuration.Toml;

namespace Registry.Api.Config;

/// <summary>
/// Builds the configuration, lowest precedence first: built-in defaults, the TOML file
/// (<c>--config</c> or <c>RON_CONFIG</c>), <c>SVCR_&lt;SECTION&gt;__&lt;KEY&gt;</c> variables, the
/// <c>REGISTRY_ADDR</c>/<c>METRICS_ADDR</c>/<c>RON_BUS_SOCK</c> variables, then command-line flags.
/// Unknown keys, unknown flags and bad values stop start-up with a message naming the key
/// (checked by <see cref="RegistryConfiguration"/>, which ronctl shares).
/// </summary>
public static class ConfigLoader
{
    /// <summary>The command-line flags.</summary>
    public static readonly string Usage =
        "usage: svc-registry [--config FILE] [--data-dir DIR] [--amnesia] [--read-only] [--uds-only] [--follow URL] [--bootstrap genesis|checkpoint] [--etcd URL,URL,...] [--check-config]";

    /// <summary>Reads and validates everything.</summary>
    /// <exception cref="ConfigurationException">With every problem listed.</exception>
    public static LoadedConfiguration Load(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var checkOnly = args.Contains("--check-config");
        var flags = ParseFlags(args.Where(a => a != "--check-config").ToList(), out var configPath);
        configPath ??= Nonempty(environment("RON_CONFIG"));

        var builder = new ConfigurationBuilder();
        if (configPath is not null)
        {
            if (!File.Exists(configPath))
            {
                throw new ConfigurationException($"configuration file '{configPath}' does not exist");
            }

            builder.AddTomlFile(Path.GetFullPath(configPath));
        }

        builder.AddEnvironmentVariables(RegistryConfiguration.EnvironmentPrefix);
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (variable, path) in RegistryConfiguration.AddressVariables)
        {
            if (Nonempty(environment(variable)) is { } value)
            {
                overrides[path] = value;
            }
        }

        foreach (var (key, value) in flags)
        {
            overrides[key] = value;
        }

        builder.AddInMemoryCollection(overrides);
        var options = RegistryConfiguration.Bind(RegistryConfiguration.Build(builder));
        if ((options.Replica.Problem() ?? options.Storage.BackendProblem() ?? options.Etcd.Problem(options.Storage.Backend)) is { } problem)
        {
            throw new ConfigurationException(problem);
        }

        if (options.Replica.Following && options.Storage.Backend == StorageOptions.EtcdBackend)
        {
            throw new ConfigurationException("'replica.primary' (--follow) and 'storage.backend' = \"etcd\" exclude each other: every etcd node already follows the etcd log");
        }

        return new LoadedConfiguration(options, configPath, configPath is null, checkOnly);
    }

    private static Dictionary<string, string?> ParseFlags(List<string> args, out string? configPath)
    {
        configPath = null;
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Count:
                    configPath = args[++i];
                    break;
                case "--data-dir" when i + 1 < args.Count:
                    flags["service:data_dir"] = args[++i];
                    break;
                case "--amnesia":
                    flags["service:amnesia"] = "true";
                    break;
                case "--read-only":
                    flags["service:read_only"] = "true";
                    break;
                case "--uds-only":
                    flags["listen:uds_only"] = "true";
                    break;
                case "--follow" when i + 1 < args.Count:
                    flags["replica:primary"] = args[++i];
                    break;
                case "--bootstrap" when i + 1 < args.Count:
                    flags["replica:bootstrap"] = args[++i];
                    break;
                case "--etcd" when i + 1 < args.Count:
                    // The endpoints, and the backend that uses them: --etcd alone makes an HA node.
                    flags["etcd:endpoints"] = args[++i];
                    flags["storage:backend"] = StorageOptions.EtcdBackend;
                    break;
                default:
                    throw new ConfigurationException($"unknown or incomplete flag '{args[i]}'\n{Usage}");
            }
        }

        return flags;
    }

    private static string? Nonempty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
