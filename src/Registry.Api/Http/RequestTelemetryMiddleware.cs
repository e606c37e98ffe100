using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Registry.Api.Metrics;

namespace Registry.Api.Http;

/// <summary>
/// Per API request, outermost: assigns and echoes <c>X-Corr-ID</c> (also on error responses, which the exception
/// handler starts afresh; and puts it in the log context), and records <c>http_requests_total</c>,
/// <c>request_latency_seconds</c> and <c>inflight_requests</c> — including requests the in-flight cap
/// (<see cref="InflightLimiter"/>) refused. The request log line is Serilog.AspNetCore's (<see cref="Logging.RequestLogging"/>).
/// </summary>
public sealed class RequestTelemetryMiddleware(RequestDelegate next, RegistryMetrics metrics)
{
    /// <summary>The <c>route</c> label of requests no endpoint matched.</summary>
    public const string Unmatched = "unmatched";

    /// <summary>The request's route template (<c>/registry/commit/{id}</c>), or <see cref="Unmatched"/>.</summary>
    public static string RouteOf(HttpContext context) =>
        (context?.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? Unmatched;

    /// <summary>Every route template and HTTP method of <paramref name="endpoints"/>.</summary>
    public static IEnumerable<(string Route, string Method)> RoutesOf(IEnumerable<Endpoint> endpoints) =>
        from endpoint in endpoints.OfType<RouteEndpoint>()
        from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []
        select (endpoint.RoutePattern.RawText ?? Unmatched, method);

    /// <summary>Runs the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var corrId = CorrelationId.Of(context);
        context.Response.OnStarting(static state =>
        {
            var (response, id) = ((HttpResponse, string))state;
            response.Headers[CorrelationId.Header] = id;
            return Task.CompletedTask;
        }, (context.Response, corrId));
        using var logScope = Serilog.Context.LogContext.PushProperty("corr_id", corrId);
        var started = Stopwatch.GetTimestamp();
        metrics.Inflight(1);
        try
        {
            await next(context);
        }
        finally
        {
            metrics.Inflight(-1);
            metrics.RequestCompleted(RouteOf(context), context.Request.Method, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }
}
