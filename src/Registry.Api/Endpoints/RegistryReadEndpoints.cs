using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Http;
using Registry.Api.ReadPlane;
using Registry.Core;
using Registry.Core.Json;

namespace Registry.Api.Endpoints;

/// <summary>The read plane: HEAD, immutable snapshots, descriptors with proofs, and the commit log. Served from memory.</summary>
public static class RegistryReadEndpoints
{
    /// <summary>Cache-Control for responses that never change (a version is immutable).</summary>
    public const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>Maps the read routes.</summary>
    public static RouteGroupBuilder MapRegistryReads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/registry").RequireRecovered().WithTags("reads").ProducesProblems(429, 500, 503);
        group.MapGet("/head", GetHead).WithName("GetHead")
            .Produces<HeadDocument>().ProducesEmpty(304).WithHeader("If-None-Match", "ETag of a HEAD already held: 304 when unchanged");
        group.MapGet("/log", GetLogAsync).WithName("GetLog")
            .Produces<IReadOnlyList<CommitRecordDocument>>().ProducesProblems(400)
            .WithQueryInteger("from", "First version (default 1)").WithQueryInteger("limit", "At most this many records, 1-1000 (default 100)");
        group.MapGet("/{version:long}", GetSnapshotAsync).WithName("GetSnapshot")
            .Produces<SnapshotDocument>().ProducesEmpty(304).ProducesProblems(404).WithHeader("If-None-Match", "The snapshot's ETag: 304");
        group.MapGet("/{version:long}/descriptors", DescriptorQueryEndpoint.QueryAsync).WithName("QueryDescriptors")
            .Produces<DescriptorQueryDocument>().ProducesEmpty(304).ProducesProblems(400, 404)
            .WithQueryString("prefix", "Only ids starting with this").WithQueryChoice("kind", "Only this kind", "node", "service", "region")
            .WithQueryString("region", "Only descriptors in this region").WithQueryString("after", "The 'next' of the previous page")
            .WithQueryInteger("limit", "Page size, 1-1000");
        group.MapGet("/{version:long}/descriptors/{**id}", GetDescriptorAsync).WithName("GetDescriptor")
            .Produces<DescriptorDocument>().ProducesEmpty(304).ProducesProblems(404).WithHeader("If-None-Match", "The descriptor's ETag: 304");
        return group;
    }

    /// <summary><c>GET /registry/head</c>.</summary>
    public static Results<JsonBytes, NotModified, Problem> GetHead(HttpRequest request, RegistryView view)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!view.HasState)
        {
            return new Problem(RegistryErrorCode.NotReady, "Recovery has not finished.");
        }

        var head = view.Current;
        return JsonBytes.NotModified(request, head.ETag)
            ? new NotModified(head.ETag, "no-cache")
            : new JsonBytes(head.Json, etag: head.ETag, cacheControl: "no-cache");
    }

    /// <summary><c>GET /registry/{version}</c>: the full snapshot, immutable.</summary>
    public static async Task<Results<JsonBytes, NotModified, Problem>> GetSnapshotAsync(long version, HttpRequest request, RegistryView view, VersionHistory history, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Missing(version, view) is { } problem)
        {
            return problem;
        }

        var state = await history.GetAsync(version, cancellationToken);
        var etag = "\"" + state.HeadHash + "\"";
        if (JsonBytes.NotModified(request, etag))
        {
            return new NotModified(etag, Immutable);
        }

        var body = snapshots.Get(state);
        return new JsonBytes(body.Json, etag: body.ETag, cacheControl: Immutable, gzip: () => body.Gzip);
    }

    /// <summary><c>GET /registry/{version}/descriptors/{id}</c>: one descriptor with its inclusion proof.</summary>
    public static async Task<Results<JsonBytes, NotModified, Problem>> GetDescriptorAsync(long version, string id, HttpRequest request, RegistryView view, VersionHistory history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Missing(version, view) is { } problem)
        {
            return problem;
        }

        var state = await history.GetAsync(version, cancellationToken);
        if (!state.Descriptors.TryGet(id, out var descriptor))
        {
            return new Problem(RegistryErrorCode.NotFound, $"No descriptor '{id}' at version {version}.");
        }

        var etag = "\"" + state.HeadHash + "/" + id + "\"";
        if (JsonBytes.NotModified(request, etag))
        {
            return new NotModified(etag, Immutable);
        }

        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName("descriptor");
        descriptor.WriteTo(writer);
        writer.WriteString("hash", state.HeadHash.ToString());
        writer.WritePropertyName("proof");
        state.Descriptors.Prove(id)!.WriteTo(writer);
        writer.WriteString("state_root", state.Descriptors.Root.ToString());
        writer.WriteInteger("version", state.Version);
        writer.WriteEndObject();
        return new JsonBytes(writer.ToArray(), etag: etag, cacheControl: Immutable);
    }

    /// <summary><c>GET /registry/log?from=&amp;limit=</c>: commit records in order (from defaults to 1, limit to 100, at most 1000).</summary>
    public static async Task<Results<JsonBytes, Problem>> GetLogAsync(HttpRequest request, RegistryView view, VersionHistory history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!view.HasState)
        {
            return new Problem(RegistryErrorCode.NotReady, "Recovery has not finished.");
        }

        if (!QueryLong(request, "from", 1, out var from) || from < 1 || !QueryLong(request, "limit", 100, out var limit) || limit is < 1 or > 1000)
        {
            return new Problem(RegistryErrorCode.Malformed, "Query 'from' must be an integer >= 1 and 'limit' an integer from 1 to 1000.");
        }

        var head = view.Current.State.Version;
        var writer = new CanonicalJsonWriter();
        writer.WriteStartArray();
        // One ranged read (memory first, then the log), not one storage lookup per version.
        await foreach (var record in history.ReadRecordsAsync(from, Math.Min(head, from + limit - 1), cancellationToken))
        {
            record.WriteTo(writer);
        }

        writer.WriteEndArray();
        return new JsonBytes(writer.ToArray());
    }

    internal static bool QueryLong(HttpRequest request, string name, long fallback, out long value)
    {
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static Problem? Missing(long version, RegistryView view)
    {
        if (!view.HasState)
        {
            return new Problem(RegistryErrorCode.NotReady, "Recovery has not finished.");
        }

        var head = view.Current.State.Version;
        return version < 0 || version > head ? new Problem(RegistryErrorCode.NotFound, $"Version {version} does not exist (HEAD is {head}).") : null;
    }
}
