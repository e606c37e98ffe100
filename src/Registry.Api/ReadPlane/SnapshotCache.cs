using System.Collections.Concurrent;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.ReadPlane;

/// <summary>
/// A serialised immutable snapshot body; its gzip-compressed copy is made on the first request that accepts gzip
/// (compressing 12 MiB of JSON costs more than building it, and most readers do not ask for it).
/// </summary>
public sealed class SnapshotBody(long version, string etag, ReadOnlyMemory<byte> json)
{
    private readonly Lazy<byte[]> _gzip = new(() => Compress(json), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The version.</summary>
    public long Version { get; } = version;

    /// <summary>The strong ETag (the version's hash, quoted).</summary>
    public string ETag { get; } = etag;

    /// <summary>The canonical JSON body.</summary>
    public ReadOnlyMemory<byte> Json { get; } = json;

    /// <summary>The body gzip-compressed, made once on first use.</summary>
    public byte[] Gzip => _gzip.Value;

    /// <summary>Bytes this body may hold: its buffer, and at most about a quarter of the JSON more once compressed.</summary>
    internal long Footprint => (MemoryMarshal.TryGetArray(Json, out var array) ? array.Array!.Length : Json.Length) + (Json.Length / 4);

    private static byte[] Compress(ReadOnlyMemory<byte> json)
    {
        using var compressed = new MemoryStream(json.Length / 4);
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json.Span);
        }

        return compressed.ToArray();
    }
}

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
            Interlocked.Add(ref _bytes, body.Footprint);
            while (Interlocked.Read(ref _bytes) > MaxBytes && _order.TryDequeue(out var oldest) && _bodies.TryRemove(oldest, out var evicted))
            {
                Interlocked.Add(ref _bytes, -evicted.Footprint);
            }
        }

        return body;
    }

    private static SnapshotBody Build(RegistryState state)
    {
        // Sorted by id: an array sort of the ids with the descriptors alongside, and a buffer sized for every
        // descriptor up front, so 50,000 descriptors are neither re-sorted through LINQ nor copied while growing.
        var count = state.Descriptors.Count;
        var ids = new string[count];
        var descriptors = new Descriptor[count];
        long itemBytes = 0;
        var i = 0;
        foreach (var descriptor in state.Descriptors)
        {
            ids[i] = descriptor.Id;
            descriptors[i++] = descriptor;
            itemBytes += descriptor.CanonicalBytes.Length + 1;
        }

        Array.Sort(ids, descriptors, StringComparer.Ordinal);
        var writer = new CanonicalJsonWriter((int)Math.Min(Array.MaxLength, itemBytes + (64 * 1024)));
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
        foreach (var descriptor in descriptors)
        {
            descriptor.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteInteger("version", state.Version);
        writer.WriteEndObject();

        // The writer's own buffer is the body (nothing writes to it again), unless it is mostly slack: a small
        // version's body is copied out of its 64 KiB buffer, so the cache's byte bound holds what it counts.
        var written = writer.WrittenMemory;
        var body = MemoryMarshal.TryGetArray(written, out var array) && array.Array!.Length - written.Length > array.Array.Length / 8
            ? written.ToArray()
            : written;
        return new SnapshotBody(state.Version, "\"" + state.HeadHash + "\"", body);
    }
}
