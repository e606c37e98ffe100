using System.Collections.Concurrent;
using System.IO.Compression;
using Registry.Core.Json;
using Registry.Core.State;

namespace Registry.Api.ReadPlane;

/// <summary>A serialised immutable snapshot body, plain and gzip-compressed.</summary>
public sealed record SnapshotBody(long Version, string ETag, byte[] Json, byte[] Gzip);

/// <summary>
/// <c>GET /registry/{version}</c> bodies, built once per version and kept in a small bounded cache
/// (a version never changes, so a cached body is never stale).
/// </summary>
/// <remarks>Thread-safe. Concurrent first requests may build the same body twice; one wins.</remarks>
public sealed class SnapshotCache
{
    private const long MaxBytes = 128L * 1024 * 1024;
    private readonly ConcurrentDictionary<long, SnapshotBody> _bodies = new();
    private readonly ConcurrentQueue<long> _order = new();
    private long _bytes;

    /// <summary>The body for <paramref name="state"/>'s version.</summary>
    public SnapshotBody Get(RegistryState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_bodies.TryGetValue(state.Version, out var body))
        {
            return body;
        }

        body = Build(state);
        if (_bodies.TryAdd(state.Version, body))
        {
            _order.Enqueue(state.Version);
            Interlocked.Add(ref _bytes, body.Json.Length + body.Gzip.Length);
            while (Interlocked.Read(ref _bytes) > MaxBytes && _order.TryDequeue(out var oldest) && _bodies.TryRemove(oldest, out var evicted))
            {
                Interlocked.Add(ref _bytes, -(evicted.Json.Length + evicted.Gzip.Length));
            }
        }

        return body;
    }

    private static SnapshotBody Build(RegistryState state)
    {
        var writer = new CanonicalJsonWriter(256 + (state.Descriptors.Count * 160));
        writer.WriteStartObject();
        writer.WritePropertyName("commit");
        if (state.Head is { } head)
        {
            head.WriteTo(writer);
        }
        else
        {
            writer.WriteCanonical(state.Genesis.CanonicalBytes);
        }

        writer.WriteString("hash", state.HeadHash.ToString());
        writer.WritePropertyName("items");
        writer.WriteStartArray();
        foreach (var descriptor in state.Descriptors.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            descriptor.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteInteger("version", state.Version);
        writer.WriteEndObject();
        var json = writer.ToArray();
        using var compressed = new MemoryStream(json.Length / 4);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return new SnapshotBody(state.Version, "\"" + state.HeadHash + "\"", json, compressed.ToArray());
    }
}
