using Registry.Api.Config;
using Registry.Configuration;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Registry.Api.Logging;

/// <summary>
/// Serilog: JSON lines to stdout (<see cref="FlatJsonFormatter"/>), level switchable at run time (SIGHUP reloads
/// <c>log.level</c> and <c>log.request_level</c>).
/// </summary>
public static class LoggingSetup
{
    /// <summary>The level names <c>log.level</c> and <c>log.request_level</c> accept, for messages.</summary>
    public const string LevelNames = "trace, debug, info, warn, error or fatal";

    /// <summary>Creates the root logger.</summary>
    public static Logger Create(LoggingLevelSwitch level) =>
        new LoggerConfiguration()
            .MinimumLevel.ControlledBy(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(new FlatJsonFormatter())
            .CreateLogger();

    /// <summary>The first bad level in <paramref name="options"/>, as a message naming its key; null when both parse.</summary>
    public static string? Problem(LogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !TryParseLevel(options.Level, out _) ? $"'log.level' must be {LevelNames}, got '{options.Level}'"
            : !TryParseLevel(options.RequestLevel, out _) ? $"'log.request_level' must be {LevelNames}, got '{options.RequestLevel}'"
            : null;
    }

    /// <summary>The minimum level and the request line level of options that <see cref="Problem"/> accepted.</summary>
    public static (LogEventLevel Minimum, LogEventLevel Requests) Levels(LogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TryParseLevel(options.Level, out var minimum) && TryParseLevel(options.RequestLevel, out var requests)
            ? (minimum, requests)
            : throw new ArgumentException(Problem(options), nameof(options));
    }

    /// <summary>Parses a level name; false for an unknown name.</summary>
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
