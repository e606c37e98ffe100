using System.Collections.Concurrent;

namespace Registry.Api.Transparency;

/// <summary>
/// The serialized proof bundles (<c>?proof=full</c>) of the served checkpoint, by descriptor id and <c>since</c>: a
/// bundle depends on nothing else, so while one checkpoint is served the same id gets the same bytes and neither the
/// state proof, the inclusion proof nor the JSON is recomputed. A new checkpoint (a commit batch, a witnessing round,
/// an idle re-signing) starts an empty generation. At most <see cref="Capacity"/> bundles are held; past that a
/// bundle is built per request as before. Thread-safe.
/// </summary>
public sealed class ProofBundleCache
{
    /// <summary>Most bundles held for one checkpoint (a few KiB each).</summary>
    public const int Capacity = 4096;

    private Generation? _generation;

    /// <summary>The bytes cached for this checkpoint, id and since, or null.</summary>
    public byte[]? TryGet(SignedCheckpoint checkpoint, string id, long since)
    {
        var generation = Volatile.Read(ref _generation);
        return generation is not null && ReferenceEquals(generation.Checkpoint, checkpoint) && generation.Bodies.TryGetValue((id, since), out var body)
            ? body
            : null;
    }

    /// <summary>Keeps <paramref name="body"/> for this checkpoint, id and since (dropping the bundles of an older checkpoint).</summary>
    public void Add(SignedCheckpoint checkpoint, string id, long since, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(body);
        var generation = Volatile.Read(ref _generation);
        if (generation is null || !ReferenceEquals(generation.Checkpoint, checkpoint))
        {
            // A request still holding an older checkpoint must not replace the generation of a newer one.
            if (generation is not null && generation.Checkpoint.Size > checkpoint.Size)
            {
                return;
            }

            var fresh = new Generation(checkpoint);
            generation = Interlocked.CompareExchange(ref _generation, fresh, generation) == generation ? fresh : Volatile.Read(ref _generation)!;
            if (!ReferenceEquals(generation.Checkpoint, checkpoint))
            {
                return;
            }
        }

        // ConcurrentDictionary.Count takes every lock: a counter of its own bounds it instead.
        if (generation.HasRoom && generation.Bodies.TryAdd((id, since), body))
        {
            generation.Counted();
        }
    }

    private sealed class Generation(SignedCheckpoint checkpoint)
    {
        public SignedCheckpoint Checkpoint { get; } = checkpoint;

        public ConcurrentDictionary<(string Id, long Since), byte[]> Bodies { get; } = new();

        private int _held;

        public bool HasRoom => Volatile.Read(ref _held) < Capacity;

        public void Counted() => Interlocked.Increment(ref _held);
    }
}
