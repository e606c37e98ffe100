using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Api.Logging;
using Registry.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Registry.Api.Hosting;

/// <summary>
/// What happens before the host exists: the configuration (exit 2 when it does not load, <c>--check-config</c>) and
/// the JSON-lines logger with its run-time levels. Exit codes: RUNBOOK.md section 2.
/// </summary>
internal sealed partial class ServiceStart : IAsyncDisposable
{
    private ServiceStart(LoadedConfiguration config, LoggingLevelSwitch level, Logger serilog, LogEventLevel requestLevel)
    {
        Configuration = config;
        Level = level;
        Serilog = serilog;
        Loggers = new SerilogLoggerFactory(serilog);
        RequestLogging = new RequestLogging(serilog, requestLevel);
    }

    /// <summary>The validated configuration.</summary>
    public LoadedConfiguration Configuration { get; }

    /// <summary><c>log.level</c>, switched by SIGHUP.</summary>
    public LoggingLevelSwitch Level { get; }

    /// <summary>The root logger (JSON lines on stdout).</summary>
    public Logger Serilog { get; }

    /// <summary>The request log line of the API listener (<c>log.request_level</c>, switched by SIGHUP).</summary>
    public RequestLogging RequestLogging { get; }

    /// <summary>The same logger for Microsoft.Extensions.Logging.</summary>
    public ILoggerFactory Loggers { get; }

    /// <summary>Loads and checks everything a start needs before the host; null with the exit code when the process ends here.</summary>
    public static async Task<(ServiceStart? Start, int ExitCode)> PrepareAsync(string[] args)
    {
        LoadedConfiguration config;
        try
        {
            config = ConfigLoader.Load(args, Environment.GetEnvironmentVariable);
        }
        catch (ConfigurationException ex)
        {
            return (null, await RefuseConfigurationAsync(ex.Message));
        }

        if (config.CheckOnly)
        {
            return (null, await CheckConfigurationAsync(config));
        }

        if (LoggingSetup.Problem(config.Options.Log) is { } problem)
        {
            return (null, await RefuseConfigurationAsync("invalid configuration:\n  " + problem));
        }

        var levels = LoggingSetup.Levels(config.Options.Log);
        var level = new LoggingLevelSwitch(levels.Minimum);
        return (new ServiceStart(config, level, LoggingSetup.Create(level), levels.Requests), 0);
    }

    /// <summary>Logs a refused start (<c>svc-registry cannot start: …</c>, level fatal).</summary>
    public void LogFatal(string reason) => LogFatal(Loggers.CreateLogger("svc-registry"), reason);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Loggers.Dispose();
        await Serilog.DisposeAsync();
    }

    /// <summary>
    /// A configuration that does not load (exit 2, before logging is set up): the reasons, readable, on standard error,
    /// and the same as one JSON log line on standard output (<c>svc-registry cannot start: ...</c>, level fatal), so the
    /// journal queries of RUNBOOK.md section 5 find it like any other refused start.
    /// </summary>
    private static async Task<int> RefuseConfigurationAsync(string reason)
    {
        await Console.Error.WriteLineAsync("svc-registry: " + reason);
        await using (var serilog = LoggingSetup.Create(new LoggingLevelSwitch()))
        {
            using var loggers = new SerilogLoggerFactory(serilog);
            LogFatal(loggers.CreateLogger("svc-registry"), reason);
        }

        return 2;
    }

    /// <summary><c>--check-config</c>: loads and validates everything a start would read, binds nothing, exits 0 or 2.</summary>
    private static async Task<int> CheckConfigurationAsync(LoadedConfiguration config)
    {
        try
        {
            var genesis = TrustSetup.LoadGenesis(config);
            var keyring = TrustSetup.LoadKeyring(config);
            await Console.Out.WriteLineAsync(
                $"svc-registry: configuration OK ({config.ConfigPath ?? "dev mode, no file"}; registry {genesis.Registry}, genesis {genesis.Hash}, {keyring.Keys.Length} capability root key(s))");
            return 0;
        }
        catch (Exception ex) when (ex is ConfigurationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("svc-registry: " + ex.Message);
            return 2;
        }
    }

    [LoggerMessage(EventId = 13, Level = LogLevel.Critical, Message = "svc-registry cannot start: {Reason}")]
    private static partial void LogFatal(ILogger logger, string reason);
}
