using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Http;
using Registry.Api.ReadPlane;
using Registry.Core;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Api.Endpoints;

/// <summary>
/// <c>GET /registry/{version}/descriptors?prefix=&amp;kind=&amp;region=&amp;after=&amp;limit=</c>: one page of the
/// descriptors at a version, sorted by id, filtered by id prefix, kind and region, served from the in-memory
/// state (the id-sorted list the snapshot bodies use: the prefix is a binary search, the filters one pass over it).
/// </summary>
public static class DescriptorQueryEndpoint
{
    /// <summary>The page size when <c>limit</c> is absent.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The largest page.</summary>
    public const int MaxLimit = 1000;

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal) { "prefix", "kind", "region", "after", "limit" };

    /// <summary>Answers <c>{descriptors[], hash, matched, next, version}</c>: <c>next</c> is the <c>after</c> of the next page (null on the last).</summary>
    public static async Task<Results<JsonBytes, NotModified, Problem>> QueryAsync(long version, HttpRequest request, RegistryView view, VersionHistory history, SnapshotCache snapshots, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(snapshots);
        if (!view.HasState)
        {
            return new Problem(RegistryErrorCode.NotReady, "Recovery has not finished.");
        }

        var head = view.Current.State.Version;
        if (version < 0 || version > head)
        {
            return new Problem(RegistryErrorCode.NotFound, $"Version {version} does not exist (HEAD is {head}).");
        }

        if (Parse(request) is not { } query)
        {
            return new Problem(RegistryErrorCode.Malformed, "Query: 'prefix' and 'after' are id characters [a-z0-9:._/-] (at most 128), 'kind' is node, service or region, 'region' a region id, 'limit' an integer from 1 to 1000; nothing else.");
        }

        var state = await history.GetAsync(version, cancellationToken);
        var etag = "\"" + state.HeadHash + "?" + request.QueryString.Value + "\"";
        if (JsonBytes.NotModified(request, etag))
        {
            return new NotModified(etag, RegistryReadEndpoints.Immutable);
        }

        var sorted = snapshots.SortedDescriptors(state.Descriptors);
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WritePropertyName("descriptors");
        writer.WriteStartArray();
        var (matched, next) = Page(sorted, query, writer);
        writer.WriteEndArray();
        writer.WriteString("hash", state.HeadHash.ToString());
        writer.WriteInteger("matched", matched);
        writer.WritePropertyName("next");
        if (next is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(next);
        }

        writer.WriteInteger("version", state.Version);
        writer.WriteEndObject();
        return new JsonBytes(writer.ToArray(), etag: etag, cacheControl: RegistryReadEndpoints.Immutable);
    }

    // Writes the page's descriptors; returns how many match in all (every page) and the cursor of the next page.
    private static (long Matched, string? Next) Page(Descriptor[] sorted, Query query, CanonicalJsonWriter writer)
    {
        var start = LowerBound(sorted, query.Prefix);
        long matched = 0;
        var written = 0;
        var more = false;
        string? last = null;
        for (var i = start; i < sorted.Length; i++)
        {
            var descriptor = sorted[i];
            if (!descriptor.Id.StartsWith(query.Prefix, StringComparison.Ordinal))
            {
                break;
            }

            if ((query.Kind is { } kind && descriptor.Kind != kind) || (query.Region is { } region && !string.Equals(descriptor.Region, region, StringComparison.Ordinal)))
            {
                continue;
            }

            matched++;
            if (query.After is { } after && string.CompareOrdinal(descriptor.Id, after) <= 0)
            {
                continue;
            }

            if (written < query.Limit)
            {
                descriptor.WriteTo(writer);
                written++;
                last = descriptor.Id;
            }
            else
            {
                more = true;
            }
        }

        return (matched, more ? last : null);
    }

    // The first index whose id is >= prefix (ordinal).
    private static int LowerBound(Descriptor[] sorted, string prefix)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(sorted[mid].Id, prefix) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static Query? Parse(HttpRequest request)
    {
        foreach (var (key, values) in request.Query)
        {
            if (!Known.Contains(key) || values.Count != 1)
            {
                return null;
            }
        }

        var prefix = request.Query["prefix"].ToString();
        var after = request.Query["after"].ToString();
        var kindText = request.Query["kind"].ToString();
        var region = request.Query["region"].ToString();
        if ((prefix.Length > 0 && !IdChars(prefix)) || (after.Length > 0 && !RegistryIds.IsValid(after)) || (region.Length > 0 && !RegistryIds.IsValid(region)))
        {
            return null;
        }

        DescriptorKind? kind = kindText switch
        {
            "" => null,
            "node" => DescriptorKind.Node,
            "service" => DescriptorKind.Service,
            "region" => DescriptorKind.Region,
            _ => (DescriptorKind)(-1),
        };
        if (kind is (DescriptorKind)(-1) || !RegistryReadEndpoints.QueryLong(request, "limit", DefaultLimit, out var limit) || limit is < 1 or > MaxLimit)
        {
            return null;
        }

        return new Query(prefix, kind, region.Length > 0 ? region : null, after.Length > 0 ? after : null, (int)limit);
    }

    // A prefix is any start of an id: at most 128 of the id characters.
    private static bool IdChars(string text) => text.Length <= 128 && RegistryIds.IsValid(text);

    private sealed record Query(string Prefix, DescriptorKind? Kind, string? Region, string? After, int Limit);
}
