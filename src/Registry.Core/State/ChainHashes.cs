using System.Collections.Immutable;
using Registry.Core.Model;

namespace Registry.Core.State;

/// <summary>
/// <c>hash(v)</c> for every version 0..HEAD, so rule 1 of the commit rule (the base is in this chain) is one lookup.
/// </summary>
/// <remarks>
/// Immutable and persistent: full chunks of <see cref="ChunkSize"/> hashes are frozen and shared by every later
/// state; only the last, partial chunk is copied on append (at most <see cref="ChunkSize"/> digests), and the list
/// of full chunks is a balanced tree, so append and lookup are O(log n) and n versions cost about 32·n bytes.
/// Thread-safe.
/// </remarks>
public sealed class ChainHashes
{
    /// <summary>Hashes per frozen chunk.</summary>
    public const int ChunkSize = 64;

    private readonly ImmutableList<Digest[]> _full;
    private readonly Digest[] _tail;

    private ChainHashes(ImmutableList<Digest[]> full, Digest[] tail)
    {
        _full = full;
        _tail = tail;
    }

    /// <summary>How many versions are held (HEAD version + 1).</summary>
    public long Count => ((long)_full.Count * ChunkSize) + _tail.Length;

    /// <summary>The hash of <paramref name="version"/>.</summary>
    public Digest this[long version]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(version);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(version, Count);
            var chunk = (int)(version / ChunkSize);
            var index = (int)(version % ChunkSize);
            return chunk < _full.Count ? _full[chunk][index] : _tail[index];
        }
    }

    /// <summary>A list holding only <c>hash(0)</c>.</summary>
    public static ChainHashes Start(Digest genesisHash) => new([], [genesisHash]);

    /// <summary>Rebuilds a list from <c>hash(0)</c>, <c>hash(1)</c>, … in order (checkpoint loading).</summary>
    public static ChainHashes FromList(IReadOnlyList<Digest> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentOutOfRangeException.ThrowIfZero(hashes.Count);
        var full = ImmutableList.CreateBuilder<Digest[]>();
        var i = 0;
        for (; i + ChunkSize <= hashes.Count; i += ChunkSize)
        {
            full.Add([.. Enumerable.Range(i, ChunkSize).Select(j => hashes[j])]);
        }

        return new ChainHashes(full.ToImmutable(), [.. Enumerable.Range(i, hashes.Count - i).Select(j => hashes[j])]);
    }

    /// <summary>True when <paramref name="version"/> is held and its hash is <paramref name="hash"/>.</summary>
    public bool Holds(long version, Digest hash) => version >= 0 && version < Count && this[version] == hash;

    /// <summary>A list with <paramref name="hash"/> as the next version's.</summary>
    public ChainHashes Append(Digest hash)
    {
        var tail = new Digest[_tail.Length + 1];
        _tail.CopyTo(tail, 0);
        tail[^1] = hash;
        return tail.Length == ChunkSize ? new ChainHashes(_full.Add(tail), []) : new ChainHashes(_full, tail);
    }

    /// <summary>Every hash, version 0 first.</summary>
    public IEnumerable<Digest> All() => _full.SelectMany(c => c).Concat(_tail);
}
