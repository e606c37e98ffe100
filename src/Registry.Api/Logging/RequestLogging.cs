using Microsoft.AspNetCore.Http;
using Registry.Api.Http;
using Serilog.AspNetCore;
using Serilog.Events;

namespace Registry.Api.Logging;

/// <summary>
/// Serilog.AspNetCore's request logging on the API listener: one line per request when it ends,
/// <c>http corr_id=… method=… route=… status=… latency_ms=…</c>, with the same names as JSON properties
/// (and <c>path</c>), at <c>log.request_level</c>. That level defaults to <c>debug</c>, below the default
/// <c>log.level</c>, so by default the middleware only checks the level and writes nothing. SIGHUP reloads it.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class RequestLogging(Serilog.ILogger logger, LogEventLevel level)
{
    /// <summary>The message template of the request line.</summary>
    public const string MessageTemplate = "http corr_id={corr_id} method={method} route={route} status={status} latency_ms={latency_ms}";

    private volatile LogEventLevel _level = level;

    /// <summary>The level request lines are written at (<c>log.request_level</c>).</summary>
    public LogEventLevel Level
    {
        get => _level;
        set => _level = value;
    }

    /// <summary>Sets the options of <c>UseSerilogRequestLogging</c>.</summary>
    public void Configure(RequestLoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Logger = logger;
        options.MessageTemplate = MessageTemplate;
        options.GetLevel = (_, _, _) => Level;

        // Only called for a line that is written (after the level check).
        options.GetMessageTemplateProperties = static (context, path, elapsedMs, status) =>
        [
            new("corr_id", new ScalarValue(CorrelationId.Of(context))),
            new("method", new ScalarValue(context.Request.Method)),
            new("route", new ScalarValue(RequestTelemetryMiddleware.RouteOf(context))),
            new("path", new ScalarValue(path)),
            new("status", new ScalarValue(status)),
            new("latency_ms", new ScalarValue(Math.Round(elapsedMs, 3))),
        ];
    }
}
