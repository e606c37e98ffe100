using System.Text;
using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Configuration;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Api.Hosting;

/// <summary>
/// Dev mode (no configuration file) uses <see cref="DevCredentials"/>; unless <c>--amnesia</c>, the keys,
/// trust roots, capabilities file and token are also written to <c>&lt;data_dir&gt;/dev/</c> for ronctl.
/// </summary>
public static partial class DevMaterial
{
    /// <summary>Writes the dev files (owner-only) into <paramref name="directory"/>; returns it.</summary>
    public static string Write(string directory, GenesisRecord genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        Directory.CreateDirectory(directory);
        for (var n = 1; n <= 3; n++)
        {
            using var key = SignerKeyDocument.DevKey(n);
            WritePrivate(Path.Combine(directory, $"dev-signer-{n}.key"), SignerKeyDocument.Serialize($"dev-signer-{n}", key));
        }

        File.WriteAllBytes(Path.Combine(directory, "trust-roots.json"), genesis.ToTrustRootsDocument());
        WritePrivate(Path.Combine(directory, "capabilities.json"), DevCredentials.Keyring().ToJson());
        WritePrivate(Path.Combine(directory, "dev.token"), Encoding.ASCII.GetBytes(DevCredentials.Token() + "\n"));
        return directory;
    }

    private static void WritePrivate(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        stream.Write(bytes);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>Logs dev mode (and writes the dev files unless <c>--amnesia</c>); nothing outside dev mode.</summary>
    public static void Announce(LoadedConfiguration config, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.DevMode)
        {
            return;
        }

        if (config.Options.Service.Amnesia)
        {
            LogDevModeMemory(logger);
            return;
        }

        var directory = DevMaterial.Write(Path.Combine(config.DataDir, "dev"), TrustSetup.LoadGenesis(config));
        LogDevMode(logger, directory);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "dev mode (no --config): 2-of-3 dev signer keys in {Directory}/dev-signer-{{1,2,3}}.key, capability token with every scope in {Directory}/dev.token, trust roots in {Directory}/trust-roots.json. These keys are public; never use dev mode for real data.")]
    private static partial void LogDevMode(ILogger logger, string directory);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "dev mode with --amnesia: nothing is written; the dev keys and token are the fixed public ones described in docs/DEV-MODE.md ('ronctl dev token', 'ronctl dev key N').")]
    private static partial void LogDevModeMemory(ILogger logger);
}
