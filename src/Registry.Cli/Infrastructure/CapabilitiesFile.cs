using Registry.Core.Auth;

namespace Registry.Cli.Infrastructure;

/// <summary>
/// Locates and rewrites the service's capabilities file (<c>[auth] capabilities_file</c>): <c>--file</c>, else
/// <c>RON_CAPABILITIES_FILE</c>, else the configuration file's setting (<c>--config</c>/<c>RON_CONFIG</c>/
/// <c>/etc/svc-registry/svc-registry.toml</c>). Written atomically, owner-only.
/// </summary>
internal static class CapabilitiesFile
{
    public static string Locate(CommandContext context, string? flag, string? configFlag)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return context.Env.ResolvePath(flag);
        }

        if (context.Env.Variable("RON_CAPABILITIES_FILE") is { Length: > 0 } fromEnv)
        {
            return context.Env.ResolvePath(fromEnv);
        }

        var config = EffectiveConfig.Load(context.Env, configFlag, withEnvironment: false);
        var configured = config.Get("auth", "capabilities_file");
        if (!string.IsNullOrEmpty(configured))
        {
            return Path.GetFullPath(configured, Path.GetDirectoryName(config.FilePath ?? context.Env.WorkingDirectory + "/x")!);
        }

        throw CliException.Usage(config.FilePath is null
            ? "no capabilities file: give --file, set RON_CAPABILITIES_FILE, or point --config/RON_CONFIG at the service's configuration"
            : $"'{config.FilePath}' sets no auth.capabilities_file: give --file");
    }

    public static CapabilityKeyring Read(string path)
    {
        if (!File.Exists(path))
        {
            throw CliException.Usage($"capabilities file '{path}' does not exist (create it with 'ronctl cap rotate --file {path}')");
        }

        try
        {
            return CapabilityKeyring.Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw CliException.Usage($"capabilities file '{path}' is invalid: {ex.Message}");
        }
    }

    public static void Write(string path, CapabilityKeyring keyring) => PrivateFile.Write(path, keyring.ToJson(), overwrite: true);
}
