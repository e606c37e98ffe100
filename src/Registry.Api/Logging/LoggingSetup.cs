using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Registry.Api.Logging;

/// <summary>Serilog: JSON lines to stdout, level switchable at run time (SIGHUP reloads <c>log.level</c>).</summary>
public static class LoggingSetup
{
    /// <summary>Creates the root logger.</summary>
    public static Logger Create(LoggingLevelSwitch level) =>
        new LoggerConfiguration()
            .MinimumLevel.ControlledBy(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(new FlatJsonFormatter())
            .CreateLogger();

    /// <summary>Parses <c>log.level</c>; false for an unknown name.</summary>
    public static bool TryParseLevel(string text, out LogEventLevel level)
    {
        switch (text.ToLowerInvariant())
        {
            case "trace" or "verbose":
                level = LogEventLevel.Verbose;
                return true;
            case "debug":
                level = LogEventLevel.Debug;
                return true;
            case "info" or "information":
                level = LogEventLevel.Information;
                return true;
            case "warn" or "warning":
                level = LogEventLevel.Warning;
                return true;
            case "error":
                level = LogEventLevel.Error;
                return true;
            case "fatal":
                level = LogEventLevel.Fatal;
                return true;
            default:
                level = LogEventLevel.Information;
                return false;
        }
    }
}
