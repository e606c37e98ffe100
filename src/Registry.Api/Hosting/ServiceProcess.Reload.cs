using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Configuration;
using Registry.Api.Logging;

namespace Registry.Api.Hosting;

public sealed partial class ServiceProcess
{
    /// <summary>
    /// SIGHUP: re-reads the configuration and applies what can change while running — capability keys
    /// and revocations, limits, log level and request log level. A configuration that does not load is refused and the old one kept.
    /// </summary>
    private void Reload(Components parts)
    {
        try
        {
            var fresh = ConfigLoader.Load(Environment.GetCommandLineArgs().Skip(1).ToArray(), Environment.GetEnvironmentVariable);
            if (LoggingSetup.Problem(fresh.Options.Log) is { } problem)
            {
                throw new ConfigurationException(problem);
            }

            var levels = LoggingSetup.Levels(fresh.Options.Log);

            var keyring = TrustSetup.LoadKeyring(fresh);
            parts.Authenticator.Replace(keyring);
            parts.Limits.Update(fresh.Options.Limits.MaxInflight, fresh.Options.Limits.RequestTimeoutSeconds);
            _level.MinimumLevel = levels.Minimum;
            _requestLogging.Level = levels.Requests;
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
