using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Http;
using Registry.Api.ReadPlane;
using Registry.Api.Transparency;
using Registry.Core;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Api.Endpoints;

/// <summary>
/// The transparency log (SPEC §10) under <c>/registry/tlog/</c>, as C2SP tlog-tiles lays it out: the signed checkpoint
/// (mutable, not cached), hash tiles <c>tile/&lt;L&gt;/&lt;N&gt;[.p/&lt;W&gt;]</c> and entry bundles
/// <c>tile/entries/&lt;N&gt;[.p/&lt;W&gt;]</c> (immutable: a full tile for a year, a partial one briefly).
/// </summary>
public static class TransparencyEndpoints
{
    /// <summary>Cache-Control of a partial tile: it is replaced by a wider one as the log grows.</summary>
    public const string PartialTile = "public, max-age=10";

    /// <summary>Bytes of one entry in a bundle: a big-endian uint16 length (32) and the 32-byte commit hash.</summary>
    public const int EntrySize = 2 + Digest.Size;

    /// <summary>Maps the routes.</summary>
    public static RouteGroupBuilder MapTransparency(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/registry/tlog").RequireRecovered().WithTags("transparency log").ProducesProblems(429, 500, 503);
        group.MapGet("/checkpoint", GetCheckpoint).WithName("GetCheckpoint")
            .Produces<string>(200, "text/plain").ProducesProblems(404);
        group.MapGet("/tile/{**path}", GetTile).WithName("GetTile")
            .Produces<byte[]>(200, "application/octet-stream").ProducesProblems(404);
        app.MapGroup("/registry/descriptors").RequireRecovered().WithTags("transparency log").ProducesProblems(429, 500, 503)
            .MapGet("/{**id}", GetProofBundleAsync).WithName("GetProofBundle")
            .Produces<ProofBundleDocument>().ProducesProblems(400, 404)
            .WithQueryChoice("proof", "Must be 'full': the whole proof bundle", "full")
            .WithQueryInteger("since", "A tree size the client trusts: the bundle adds a consistency proof from it");
        return group;
    }

    /// <summary><c>GET /registry/tlog/checkpoint</c>: the C2SP checkpoint signed by the log key, with its timestamped freshness line.</summary>
    public static Results<BinaryBody, Problem> GetCheckpoint(TransparencyLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return log.Checkpoint() is { } checkpoint
            ? new BinaryBody(checkpoint.Note, "text/plain; charset=utf-8", "no-cache")
            : NoCheckpoint(log);
    }

    /// <summary><c>GET /registry/tlog/tile/…</c>: a hash tile or an entry bundle that the tree already holds in full.</summary>
    public static Results<BinaryBody, Problem> GetTile(string path, RegistryView view, TransparencyLog log)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(log);
        if (!TilePath.TryParse(path, out var tile))
        {
            return new Problem(RegistryErrorCode.NotFound, $"'tile/{path}' is not a tlog-tiles path: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>].");
        }

        var cacheControl = tile.IsPartial ? PartialTile : RegistryReadEndpoints.Immutable;
        if (tile.IsEntries)
        {
            // The entries are the commit hashes of the published chain.
            var hashes = view.Current.State.Hashes;
            if (tile.FirstNode + tile.Width > hashes.Count)
            {
                return Beyond(tile, hashes.Count);
            }

            var bundle = new byte[tile.Width * EntrySize];
            for (var i = 0; i < tile.Width; i++)
            {
                var at = bundle.AsSpan(i * EntrySize);
                at[0] = 0;
                at[1] = Digest.Size;
                hashes[tile.FirstNode + i].Bytes.CopyTo(at[2..]);
            }

            return new BinaryBody(bundle, "application/octet-stream", cacheControl);
        }

        var body = new byte[tile.Width * Digest.Size];
        return log.Tree.TryCopyNodes(tile.Level * 8, tile.FirstNode, tile.Width, body)
            ? new BinaryBody(body, "application/octet-stream", cacheControl)
            : Beyond(tile, log.Tree.Size);
    }

    /// <summary>
    /// <c>GET /registry/descriptors/{id}?proof=full[&amp;since=N]</c>: the descriptor at the newest checkpoint's head
    /// with its state proof, that head's commit record, the record's inclusion proof in the tree, the signed
    /// checkpoint, and a consistency proof from tree size <c>since</c> when asked (docs/PROTOCOL.md section 12.8).
    /// </summary>
    public static async Task<Results<JsonBytes, Problem>> GetProofBundleAsync(string id, HttpRequest request, VersionHistory history, TransparencyLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(log);
        if (request.Query["proof"].ToString() != "full" || request.Query["proof"].Count != 1)
        {
            return new Problem(RegistryErrorCode.Malformed, "Query 'proof' must be 'full' (the proof bundle); for one version's descriptor use GET /registry/{version}/descriptors/{id}.");
        }

        if (!RegistryReadEndpoints.QueryLong(request, "since", 0, out var since) || request.Query["since"].Count > 1)
        {
            return new Problem(RegistryErrorCode.Malformed, "Query 'since' must be a tree size (an integer >= 0).");
        }

        if (log.Checkpoint() is not { } checkpoint)
        {
            return NoCheckpoint(log);
        }

        var consistent = since is > 0 && since < checkpoint.Size;
        var key = consistent ? since : 0;
        if (log.Bundles.TryGet(checkpoint, id, key) is { } cached)
        {
            return new JsonBytes(cached);
        }

        // The tree advances before HEAD is published and the history holds every version by then.
        var version = checkpoint.Size - 1;
        var state = await history.GetAsync(version, cancellationToken);
        if (state.Head is not { } record || !state.Descriptors.TryGet(id, out var descriptor))
        {
            return new Problem(RegistryErrorCode.NotFound, $"No descriptor '{id}' at version {version}, the head of the newest checkpoint.");
        }

        var bundle = new ProofBundle(
            System.Text.Encoding.UTF8.GetString(checkpoint.Note),
            consistent ? since : null,
            consistent ? log.Tree.ConsistencyProof(since, checkpoint.Size) : [],
            descriptor,
            log.Tree.InclusionProof(version, checkpoint.Size),
            record,
            state.Descriptors.Prove(id)!);
        var body = bundle.ToJson();
        log.Bundles.Add(checkpoint, id, key, body);
        return new JsonBytes(body);
    }

    // No key: 404 for good. The chain's key not held: 503. A key but nothing served yet: the first checkpoint is still with the witnesses (503, retry).
    private static Problem NoCheckpoint(TransparencyLog log) => !log.Signs
        ? new Problem(RegistryErrorCode.NotFound, "This registry signs no checkpoints: no 'trust.log_key' is configured.")
        : log.MissingKey is { } missing
        ? new Problem(RegistryErrorCode.NotReady, $"The chain puts log key {missing} in force, and this node holds no private key for it (trust.next_log_key_file); it signs no checkpoint until it does.", TimeSpan.FromSeconds(30))
        : new Problem(RegistryErrorCode.NotReady, "The first checkpoint is being witnessed (tlog.witnesses); retry shortly.", TimeSpan.FromSeconds(1));

    private static Problem Beyond(TilePath tile, long size) =>
        new(RegistryErrorCode.NotFound, $"Tile '{tile}' is beyond the tree of {size} leaves.");
}
