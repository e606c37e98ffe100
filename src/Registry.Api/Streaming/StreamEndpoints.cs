using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Http;
using Registry.Api.ReadPlane;
using Registry.Api.Replication;
using Registry.Core;

namespace Registry.Api.Streaming;

/// <summary>Stream settings from [stream] (heartbeat interval, per-client buffer).</summary>
public sealed record StreamSettings(TimeSpan Heartbeat, int ClientBuffer, CancellationToken Stopping);

/// <summary><c>GET /registry/stream</c>.</summary>
public static class StreamEndpoints
{
    /// <summary>Maps the stream route.</summary>
    public static RouteHandlerBuilder MapRegistryStream(this IEndpointRouteBuilder app) =>
        app.MapGet("/registry/stream", StreamAsync).RequireRecovered().WithTags("stream").WithName("Stream")
            .Produces<string>(200, "text/event-stream").ProducesProblems(400, 409, 429, 500, 503)
            .WithHeader("Last-Event-ID", "Resume after this version (replays the commits after it, then live)")
            .WithQueryInteger("from", "Same as Last-Event-ID, for clients that cannot set headers");

    /// <summary>
    /// Resumes after <c>Last-Event-ID</c> (or <c>?from=</c>) when given, else starts at HEAD (live only).
    /// </summary>
    /// <remarks>A position past HEAD is never skipped: see <see cref="StreamPosition"/>.</remarks>
    public static async Task<Results<SseResponse, Problem>> StreamAsync(HttpRequest request, RegistryView view, CommitFeed feed, VersionHistory history, StreamSettings settings, ReplicaRole role)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        if (!view.HasState)
        {
            return new Problem(RegistryErrorCode.NotReady, "Recovery has not finished.");
        }

        var text = request.Headers["Last-Event-ID"].ToString();
        if (text.Length == 0)
        {
            text = request.Query["from"].ToString();
        }

        long? from = null;
        if (text.Length > 0)
        {
            if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                return new Problem(RegistryErrorCode.Malformed, "Last-Event-ID / from must be a version number (an integer >= 0).");
            }

            from = parsed;
            if (await StreamPosition.CheckAsync(parsed, view, feed, role, request.HttpContext.RequestAborted) is { } ahead)
            {
                return ahead;
            }
        }

        return new SseResponse(from, feed, history, settings.Heartbeat, settings.ClientBuffer, settings.Stopping);
    }
}
