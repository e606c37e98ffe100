using System.Net;
using System.Runtime.CompilerServices;
using Registry.Client.Internal;
using Registry.Client.Models;
using Registry.Core.Model;

namespace Registry.Client;

public sealed partial class RegistryClient
{
    /// <summary><c>GET /registry/head</c>.</summary>
    public async Task<RegistryHead> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        using var document = await SendJsonAsync(HttpMethod.Get, "/registry/head", null, false, HttpStatusCode.OK, cancellationToken);
        return Wire.Read("head", () => RegistryHead.FromJson(document.RootElement));
    }

    /// <summary><c>GET /registry/{version}</c>: every descriptor at <paramref name="version"/> (404 NotFound past HEAD).</summary>
    public async Task<RegistrySnapshot> GetSnapshotAsync(long version, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        using var document = await SendJsonAsync(HttpMethod.Get, $"/registry/{Wire.Invariant(version)}", null, false, HttpStatusCode.OK, cancellationToken);
        var snapshot = Wire.Read("snapshot", () => RegistrySnapshot.FromJson(document.RootElement));
        var computed = snapshot.Commit?.Hash ?? snapshot.Genesis!.Hash;
        return snapshot.Version == version && computed == snapshot.Hash
            ? snapshot
            : throw Wire.Invalid($"snapshot {version}: the server sent version {snapshot.Version} with hash {snapshot.Hash}, but its record hashes to {computed}.");
    }

    /// <summary>
    /// The genesis record (version 0), which holds the registry id and the genesis signer set. It comes from
    /// the server: verify chains against trust roots you hold, not against this.
    /// </summary>
    public async Task<GenesisRecord> GetGenesisAsync(CancellationToken cancellationToken = default) =>
        (await GetSnapshotAsync(0, cancellationToken)).Genesis!;

    /// <summary><c>GET /registry/{version}/descriptors/{id}</c>: one descriptor with its inclusion proof (404 NotFound if absent).</summary>
    /// <remarks>
    /// The id goes into the path verbatim, its <c>/</c> included (docs/PROTOCOL.md §11.4). An id with a <c>.</c> or
    /// <c>..</c> segment cannot be addressed by path (HTTP removes dot segments before routing), so it is refused here
    /// rather than read as another id; find such a descriptor in <see cref="GetSnapshotAsync"/> or <see cref="QueryDescriptorsAsync"/>.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="id"/> is not a descriptor id, or has a dot segment.</exception>
    public async Task<DescriptorProof> GetDescriptorAsync(long version, string id, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (!RegistryIds.IsValid(id))
        {
            throw new ArgumentException($"'{id}' is not a descriptor id (1-128 characters of [a-z0-9:._/-]).", nameof(id));
        }

        if (id.Split('/').Any(segment => segment is "." or ".."))
        {
            throw new ArgumentException($"'{id}' has a '.' or '..' segment, which no URL path can carry (it would name another id); read it from the snapshot or the descriptor query.", nameof(id));
        }

        using var document = await SendJsonAsync(HttpMethod.Get, $"/registry/{Wire.Invariant(version)}/descriptors/{id}", null, false, HttpStatusCode.OK, cancellationToken);
        var proof = Wire.Read("descriptor", () => DescriptorProof.FromJson(document.RootElement));
        return proof.Descriptor.Id == id && proof.Version == version
            ? proof
            : throw Wire.Invalid($"descriptor '{id}' at {version}: the server answered '{proof.Descriptor.Id}' at {proof.Version}.");
    }

    /// <summary>
    /// <c>GET /registry/{version}/descriptors?prefix=&amp;kind=&amp;region=&amp;after=&amp;limit=</c>: one page of the
    /// descriptors at <paramref name="version"/> that match <paramref name="query"/>, sorted by id, without reading the
    /// whole snapshot. Page on with <c>query with { After = page.Next }</c> until <see cref="DescriptorPage.Next"/> is null.
    /// </summary>
    public async Task<DescriptorPage> QueryDescriptorsAsync(long version, DescriptorQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, 1000);
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(query.Prefix))
        {
            parts.Add("prefix=" + Uri.EscapeDataString(query.Prefix));
        }

        if (query.Kind is { } kind)
        {
            parts.Add("kind=" + Descriptor.KindName(kind));
        }

        if (!string.IsNullOrEmpty(query.Region))
        {
            parts.Add("region=" + Uri.EscapeDataString(query.Region));
        }

        if (!string.IsNullOrEmpty(query.After))
        {
            parts.Add("after=" + Uri.EscapeDataString(query.After));
        }

        parts.Add("limit=" + Wire.Invariant(query.Limit));
        using var document = await SendJsonAsync(HttpMethod.Get, $"/registry/{Wire.Invariant(version)}/descriptors?{string.Join('&', parts)}", null, false, HttpStatusCode.OK, cancellationToken);
        var page = Wire.Read("descriptors", () => DescriptorPage.FromJson(document.RootElement));
        return page.Version == version
            ? page
            : throw Wire.Invalid($"descriptors at {version}: the server answered version {page.Version}.");
    }

    /// <summary><c>GET /registry/log?from=&amp;limit=</c>: up to <paramref name="limit"/> (1-1000) commit records from version <paramref name="from"/>.</summary>
    public async Task<IReadOnlyList<CommitRecord>> GetLogAsync(long from = 1, int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        using var document = await SendJsonAsync(HttpMethod.Get, $"/registry/log?from={Wire.Invariant(from)}&limit={Wire.Invariant(limit)}", null, false, HttpStatusCode.OK, cancellationToken);
        var records = Wire.Read("log", () => document.RootElement.EnumerateArray().Select(CommitRecord.FromJson).ToList());
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Version != from + i)
            {
                throw Wire.Invalid($"log from {from}: record {i} is version {records[i].Version}, expected {from + i}.");
            }
        }

        return records;
    }

    /// <summary>
    /// Every commit record from <paramref name="from"/> through <paramref name="to"/> (default: HEAD when the
    /// call starts), paging through <c>/registry/log</c>. Records come in order, each exactly once.
    /// </summary>
    public async IAsyncEnumerable<CommitRecord> ReadLogAsync(long from = 1, long? to = null, int pageSize = 1000, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(from, 1);
        var last = to ?? (await GetHeadAsync(cancellationToken)).Version;
        var next = from;
        while (next <= last)
        {
            var page = await GetLogAsync(next, (int)Math.Min(pageSize, last - next + 1), cancellationToken);
            if (page.Count == 0)
            {
                throw new RegistryClientException(nameof(Core.RegistryErrorCode.NotFound), $"The log ends before version {next} (expected records through {last}).", 404);
            }

            foreach (var record in page)
            {
                yield return record;
            }

            next += page.Count;
        }
    }
}
