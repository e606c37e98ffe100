using Registry.Core.Auth;
using Registry.Core.Model;

namespace Registry.Cli.Infrastructure;

/// <summary>
/// The genesis an offline command (verify --data-dir, backup --data-dir, restore) checks a data directory against:
/// <c>--trust-roots</c>, else <c>--dev</c> (the public dev set), else the configuration's
/// <c>trust.trust_roots_file</c> (<c>--config</c>/<c>RON_CONFIG</c>/<c>/etc/svc-registry/svc-registry.toml</c>), else the
/// <c>dev/trust-roots.json</c> a dev-mode service writes into its data directory.
/// </summary>
internal static class OfflineGenesis
{
    public static GenesisRecord Resolve(CommandContext context, string? trustRoots, string? pin, bool dev, string? registry, string dataDirectory)
    {
        if (!string.IsNullOrEmpty(trustRoots))
        {
            return TrustRoots.Load(context.Env.ResolvePath(trustRoots), pin);
        }

        if (dev)
        {
            return DevCredentials.Genesis(registry ?? "ron-dev");
        }

        var config = EffectiveConfig.Load(context.Env, null, withEnvironment: false);
        if (config.FilePath is not null && config.Get("trust", "trust_roots_file") is { Length: > 0 } configured)
        {
            return TrustRoots.Load(context.Env.ResolvePath(configured), pin ?? config.Get("trust", "trust_roots_digest"));
        }

        var written = Path.Combine(dataDirectory, "dev", "trust-roots.json");
        return File.Exists(written)
            ? TrustRoots.Load(written, pin)
            : throw CliException.Usage("no trust roots: give --trust-roots FILE (or --dev for a dev-mode registry, or --config with trust.trust_roots_file)");
    }
}
