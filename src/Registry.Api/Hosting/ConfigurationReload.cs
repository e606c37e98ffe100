using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Api.Auth;
using Registry.Api.Config;
using Registry.Api.Http;
using Registry.Api.Logging;
using Registry.Configuration;
using Serilog.Core;

namespace Registry.Api.Hosting;

/// <summary>
/// SIGHUP: re-reads the configuration and applies what can change while running — capability keys and revocations,
/// limits (including the bounds on proposals held and their retention), log level and request log level. A configuration that does not load is refused and the old one kept. Also SIGINT, which the
/// systemd lifetime leaves alone: it stops the host like SIGTERM.
/// </summary>
internal sealed partial class ConfigurationReload(
    CapabilityAuthenticator authenticator, Limits limits, WritePlane.ProposalLimits proposalLimits, LoggingLevelSwitch level, RequestLogging requestLogging, IHostApplicationLifetime lifetime, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("svc-registry");
    private PosixSignalRegistration? _hangup;
    private PosixSignalRegistration? _interrupt;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Reload();
        });
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            lifetime.StopApplication();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _hangup?.Dispose();
        _interrupt?.Dispose();
    }

    private void Reload()
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
            authenticator.Replace(keyring);
            limits.Update(fresh.Options.Limits.MaxInflight, fresh.Options.Limits.RequestTimeoutSeconds);
            proposalLimits.Update(fresh.Options.Limits);
            level.MinimumLevel = levels.Minimum;
            requestLogging.Level = levels.Requests;
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
