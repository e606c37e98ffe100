using System.Globalization;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Hosting;
using Registry.Api.Http;
using Registry.Core;

namespace Registry.Api.Endpoints;

/// <summary>
/// <c>GET /registry/checkpoints/latest</c> and <c>/registry/checkpoints/{version}</c>: this node's newest checkpoint's
/// state snapshot (StateSnapshotCodec bytes), what a replica started with <c>replica.bootstrap = "checkpoint"</c>
/// installs after checking it against the chain (docs/REPLICATION.md). Served by primaries and replicas alike.
/// </summary>
internal static class CheckpointEndpoints
{
    /// <summary>The response header naming the checkpoint's registry version.</summary>
    public const string VersionHeader = "X-Registry-Checkpoint-Version";

    /// <summary>The snapshot's media type.</summary>
    public const string MediaType = "application/vnd.svc-registry.state-snapshot";

    public static RouteGroupBuilder MapCheckpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/registry/checkpoints").RequireRecovered().WithTags("reads").ProducesProblems(429, 500, 503);
        group.MapGet("/latest", Latest).WithName("GetLatestStateCheckpoint")
            .Produces(200, contentType: MediaType).ProducesEmpty(304).ProducesProblems(404)
            .WithHeader("If-None-Match", "The checkpoint's ETag: 304 while it is still the newest");
        group.MapGet("/{version:long}", ByVersion).WithName("GetStateCheckpoint")
            .Produces(200, contentType: MediaType).ProducesEmpty(304).ProducesProblems(404)
            .WithHeader("If-None-Match", "The checkpoint's ETag: 304");
        return group;
    }

    /// <summary>The newest checkpoint; it moves as checkpoints are taken, so it is revalidated (<c>no-cache</c>).</summary>
    private static IResult Latest(HttpContext context, Components parts) => Serve(context, parts, null);

    /// <summary>The checkpoint at one version while it is this node's newest: those bytes never change (immutable).</summary>
    private static IResult ByVersion(long version, HttpContext context, Components parts) => Serve(context, parts, version);

    private static IResult Serve(HttpContext context, Components parts, long? version)
    {
        if (parts.Local.NewestCheckpoint() is not { } newest)
        {
            return new Problem(RegistryErrorCode.NotFound, "This node has no checkpoint yet (it takes one every storage.checkpoint_every_commits commits or storage.checkpoint_interval_seconds).");
        }

        if (version is { } asked && asked != newest.Version)
        {
            return new Problem(RegistryErrorCode.NotFound, string.Create(CultureInfo.InvariantCulture, $"This node serves only its newest checkpoint, at version {newest.Version}, not {asked}."));
        }

        var cache = version is null ? "no-cache" : RegistryReadEndpoints.Immutable;
        var etag = string.Create(CultureInfo.InvariantCulture, $"\"checkpoint-{newest.Version}\"");
        var headers = context.Response.Headers;
        headers[VersionHeader] = newest.Version.ToString(CultureInfo.InvariantCulture);
        headers.ContentLocation = string.Create(CultureInfo.InvariantCulture, $"/registry/checkpoints/{newest.Version}");
        headers.ETag = etag;
        return JsonBytes.NotModified(context.Request, etag) ? new NotModified(etag, cache) : new BinaryBody(newest.Snapshot, MediaType, cache);
    }
}
