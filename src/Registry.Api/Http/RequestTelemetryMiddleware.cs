using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Registry.Api.Metrics;
using Registry.Core;

namespace Registry.Api.Http;

/// <summary>
/// Per request: assigns and echoes <c>X-Corr-ID</c> (and puts it in the log context), enforces the in-flight cap
/// (429 Busy), and records <c>http_requests_total</c>, <c>request_latency_seconds</c> and <c>inflight_requests</c>.
/// The request log line is Serilog.AspNetCore's (<see cref="Logging.RequestLogging"/>).
/// </summary>
public sealed class RequestTelemetryMiddleware(RequestDelegate next, RegistryMetrics metrics, Limits limits)
{
    /// <summary>The <c>route</c> label of requests no endpoint matched.</summary>
    public const string Unmatched = "unmatched";

    private static int s_inflight;

    /// <summary>The request's route template (<c>/registry/commit/{id}</c>), or <see cref="Unmatched"/>.</summary>
    public static string RouteOf(HttpContext context) =>
        (context?.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? Unmatched;

    /// <summary>Every route template and HTTP method mapped on <paramref name="app"/>.</summary>
    public static IEnumerable<(string Route, string Method)> RoutesOf(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return from source in app.DataSources
               from endpoint in source.Endpoints.OfType<RouteEndpoint>()
               from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []
               select (endpoint.RoutePattern.RawText ?? Unmatched, method);
    }

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
            metrics.RequestCompleted(RouteOf(context), context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }
}
