using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Configuration;
using Registry.Api.Logging;

namespace Registry.Api.Hosting;

public sealed partial class ServiceProcess
{
    /// <summary>
    /// SIGHUP: re-reads the configuration and applies what can change while running — capability keys
    /// and revocations, limits, log level. A configuration that does not load is refused and the old one kept.
    /// </summary>
    private void Reload(Components parts)
    {
        try
        {
            var fresh = ConfigLoader.Load(Environment.GetCommandLineArgs().Skip(1).ToArray(), Environment.GetEnvironmentVariable);
            if (!LoggingSetup.TryParseLevel(fresh.Options.Log.Level, out var level))
            {
                throw new ConfigurationException($"'log.level' must be trace, debug, info, warn, error or fatal, got '{fresh.Options.Log.Level}'");
            }

            var keyring = TrustSetup.LoadKeyring(fresh);
            parts.Authenticator.Replace(keyring);
            parts.Limits.Update(fresh.Options.Limits.MaxInflight, fresh.Options.Limits.RequestTimeoutSeconds);
            _level.MinimumLevel = level;
            LogReloaded(_logger, keyring.Keys.Length, keyring.Revoked.Count);
        }
        catch (ConfigurationException ex)
        {
            LogReloadRefused(_logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "reload=1: configuration reloaded ({Keys} root keys, {Revoked} revoked tokens)")]
    private static partial void LogReloaded(ILogger logger, int keys, int revoked);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "reload=0: new configuration refused, keeping the old one: {Reason}")]
    private static partial void LogReloadRefused(ILogger logger, string reason);
}
