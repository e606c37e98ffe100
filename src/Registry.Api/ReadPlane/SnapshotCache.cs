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

    /// <summary>The last sorted descriptor list built, with the tree it lists (to patch rather than re-sort).</summary>
    private SortedItems? _lastSorted;

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

    private SnapshotBody Build(RegistryState state)
    {
        var descriptors = SortedDescriptors(state.Descriptors);
        long itemBytes = 0;
        foreach (var descriptor in descriptors)
        {
            itemBytes += descriptor.CanonicalBytes.Length + 1;
        }

        // A buffer sized for every descriptor up front, so 50,000 of them are not copied while it grows.
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

    /// <summary>
    /// The descriptors sorted by id. Versions read one after another are usually close (a reader walking history, a
    /// replay from an anchor), so the last sorted list is patched with the difference between the two trees (O(k log n)
    /// to find, one pass to merge) instead of sorting all of them again (16 ms for 50,000 ids here).
    /// </summary>
    internal Descriptor[] SortedDescriptors(StateTree tree)
    {
        var last = Volatile.Read(ref _lastSorted);
        Descriptor[] sorted;
        if (last is not null && ReferenceEquals(last.Tree, tree))
        {
            return last.Items;
        }

        var diff = last is null ? default : tree.DiffFrom(last.Tree);
        if (last is not null && diff.Put.Count + diff.Removed.Count <= Math.Max(64, tree.Count / 4))
        {
            sorted = Patch(last.Items, diff.Put, diff.Removed, tree.Count);
        }
        else
        {
            var ids = new string[tree.Count];
            sorted = new Descriptor[tree.Count];
            var i = 0;
            foreach (var descriptor in tree)
            {
                ids[i] = descriptor.Id;
                sorted[i++] = descriptor;
            }

            Array.Sort(ids, sorted, StringComparer.Ordinal);
        }

        Volatile.Write(ref _lastSorted, new SortedItems(tree, sorted));
        return sorted;
    }

    // Merges a sorted list with its changes: removed ids dropped, replaced ones swapped, added ones merged in order.
    private static Descriptor[] Patch(Descriptor[] previous, List<Descriptor> put, List<string> removed, int count)
    {
        var gone = removed.ToHashSet(StringComparer.Ordinal);
        var replaced = new Dictionary<string, Descriptor>(StringComparer.Ordinal);
        foreach (var descriptor in put)
        {
            replaced[descriptor.Id] = descriptor;
        }

        var result = new Descriptor[count];
        var n = 0;
        foreach (var descriptor in previous)
        {
            if (gone.Contains(descriptor.Id))
            {
                continue;
            }

            if (replaced.Remove(descriptor.Id, out var now))
            {
                result[n++] = now;
            }
            else
            {
                result[n++] = descriptor;
            }
        }

        // What is left in 'replaced' was not in the previous list: new ids, merged in at their places.
        var added = replaced.Values.OrderBy(d => d.Id, StringComparer.Ordinal).ToArray();
        if (added.Length > 0)
        {
            var kept = result.AsSpan(0, n).ToArray();
            int k = 0, a = 0;
            n = 0;
            while (k < kept.Length || a < added.Length)
            {
                result[n++] = a == added.Length || (k < kept.Length && string.CompareOrdinal(kept[k].Id, added[a].Id) < 0) ? kept[k++] : added[a++];
            }
        }

        return n == count ? result : throw new InvalidOperationException($"Patched {n} descriptors where the tree holds {count}.");
    }

    private sealed record SortedItems(StateTree Tree, Descriptor[] Items);
}
