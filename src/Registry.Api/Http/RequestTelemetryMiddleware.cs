using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Registry.Api.Metrics;
using Registry.Core;

namespace Registry.Api.Http;

/// <summary>
/// Per request: assigns and echoes <c>X-Corr-ID</c>, enforces the in-flight cap (429 Busy), and records
/// <c>http_requests_total</c>, <c>request_latency_seconds</c>, <c>inflight_requests</c> and one log line
/// with corr_id, route, status and latency.
/// </summary>
public sealed partial class RequestTelemetryMiddleware(RequestDelegate next, RegistryMetrics metrics, Limits limits, ILogger<RequestTelemetryMiddleware> logger)
{
    private static int s_inflight;

    /// <summary>Runs the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var corrId = CorrelationId.Of(context);
        context.Response.Headers[CorrelationId.Header] = corrId;
        using var logScope = Serilog.Context.LogContext.PushProperty("corr_id", corrId);
        var started = Stopwatch.GetTimestamp();
        var inflight = Interlocked.Increment(ref s_inflight);
        metrics.Inflight(1);
        try
        {
            if (inflight > limits.MaxInflight)
            {
                metrics.Rejected("busy");
                await new Problem(RegistryErrorCode.Busy, $"{limits.MaxInflight} requests are in flight.").ExecuteAsync(context);
                return;
            }

            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref s_inflight);
            metrics.Inflight(-1);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.RequestCompleted(route, context.Request.Method, context.Response.StatusCode, elapsed);
            LogRequest(logger, corrId, context.Request.Method, route, context.Response.StatusCode, elapsed.TotalMilliseconds);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "http corr_id={CorrId} method={Method} route={Route} status={Status} latency_ms={LatencyMs}")]
    private static partial void LogRequest(ILogger logger, string corrId, string method, string route, int status, double latencyMs);
}
