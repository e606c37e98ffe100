// An incremental RFC 6962 Merkle tree (RFC 9162 section 2.1) that keeps every complete subtree hash: level 0 holds the
// leaf hashes, level k the hash of each complete, aligned run of 2^k leaves. That is what C2SP tlog-tiles serves (a
// tile at tile level L is a run of level-8L hashes), and it makes any root, inclusion proof or consistency proof of any
// size up to the current one O(log n) lookups. Append is O(1) amortised (O(log n) worst case); memory is about 64 bytes
// per leaf (two hashes). Stands in for no package: .NET has no RFC 6962 tree; the one here is ~200 lines checked
// against the transparency-dev/merkle vectors and a naive recomputation (tests/Registry.Core.Tests/Transparency).
using System.Collections.Immutable;
using Registry.Core.Model;

namespace Registry.Core.Transparency;

/// <summary>An append-only RFC 6962 Merkle tree over SHA-256 that can prove inclusion and consistency at any size it has held.</summary>
/// <remarks>
/// Thread-safe: one writer may append while any number of readers ask for roots, proofs and node hashes (a lock
/// guards the levels; every read is a handful of lookups). Sizes are <see cref="long"/> on the wire but the tree holds
/// at most <see cref="int.MaxValue"/> leaves.
/// </remarks>
public sealed class MerkleTree
{
    private readonly List<List<Digest>> _levels = [[]];
    private readonly Lock _gate = new();

    /// <summary>The number of leaves.</summary>
    public long Size
    {
        get
        {
            lock (_gate)
            {
                return _levels[0].Count;
            }
        }
    }

    /// <summary>Appends the leaf whose entry is <paramref name="entry"/> (its leaf hash is SHA-256(0x00 || entry)).</summary>
    public void Append(ReadOnlySpan<byte> entry) => AppendLeafHash(MerkleHash.Leaf(entry));

    /// <summary>Appends a leaf by its leaf hash.</summary>
    public void AppendLeafHash(Digest leafHash)
    {
        lock (_gate)
        {
            var index = _levels[0].Count;
            _levels[0].Add(leafHash);
            var hash = leafHash;

            // Each odd index completes a pair: its parent is the next node of the level above.
            for (var level = 0; (index & 1) == 1; level++)
            {
                hash = MerkleHash.Node(_levels[level][index - 1], hash);
                index >>= 1;
                if (_levels.Count == level + 1)
                {
                    _levels.Add([]);
                }

                _levels[level + 1].Add(hash);
            }
        }
    }

    /// <summary>The current size and root, read together.</summary>
    public (long Size, Digest Root) Head()
    {
        lock (_gate)
        {
            var size = _levels[0].Count;
            return (size, RootCore(size));
        }
    }

    /// <summary>The root hash of the current tree.</summary>
    public Digest Root()
    {
        lock (_gate)
        {
            return RootCore(_levels[0].Count);
        }
    }

    /// <summary>The root hash the tree had at <paramref name="size"/> leaves (0 &lt;= size &lt;= <see cref="Size"/>).</summary>
    public Digest RootAt(long size)
    {
        lock (_gate)
        {
            CheckSize(size);
            return RootCore((int)size);
        }
    }

    /// <summary>
    /// The hash of the complete subtree of 2^<paramref name="level"/> leaves starting at leaf
    /// <paramref name="index"/>·2^level; false when the tree does not hold all of those leaves yet.
    /// </summary>
    public bool TryGetNode(int level, long index, out Digest hash)
    {
        hash = default;
        lock (_gate)
        {
            if (level < 0 || level >= _levels.Count || index < 0 || index >= _levels[level].Count)
            {
                return false;
            }

            hash = _levels[level][(int)index];
            return true;
        }
    }

    /// <summary>Copies the level-<paramref name="level"/> hashes <paramref name="start"/>..start+count-1; false when any is missing.</summary>
    public bool TryCopyNodes(int level, long start, int count, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, count * Digest.Size, nameof(destination));
        lock (_gate)
        {
            if (level < 0 || level >= _levels.Count || start < 0 || count < 0 || start + count > _levels[level].Count)
            {
                return false;
            }

            var nodes = _levels[level];
            for (var i = 0; i < count; i++)
            {
                nodes[(int)start + i].Bytes.CopyTo(destination[(i * Digest.Size)..]);
            }

            return true;
        }
    }

    /// <summary>The RFC 6962 audit path of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves, leaf end first.</summary>
    public ImmutableArray<Digest> InclusionProof(long index, long size)
    {
        lock (_gate)
        {
            CheckSize(size);
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, size);
            var proof = ImmutableArray.CreateBuilder<Digest>();
            PathCore((int)index, 0, (int)size, proof);
            return proof.ToImmutable();
        }
    }

    /// <summary>
    /// The RFC 6962 consistency proof from the tree of <paramref name="size1"/> leaves to the one of
    /// <paramref name="size2"/> (empty when size1 is 0 or equals size2).
    /// </summary>
    public ImmutableArray<Digest> ConsistencyProof(long size1, long size2)
    {
        lock (_gate)
        {
            CheckSize(size2);
            ArgumentOutOfRangeException.ThrowIfNegative(size1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(size1, size2);
            var proof = ImmutableArray.CreateBuilder<Digest>();
            if (size1 > 0 && size1 < size2)
            {
                SubproofCore((int)size1, 0, (int)size2, true, proof);
            }

            return proof.ToImmutable();
        }
    }

    private void CheckSize(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, _levels[0].Count);
    }

    private Digest RootCore(int size) => size == 0 ? MerkleHash.EmptyRoot : SubtreeHash(0, size);

    /// <summary>MTH(D[lo:hi]) (RFC 6962 §2.1): a stored node when the range is complete and aligned, else split at the largest power of two below its length.</summary>
    private Digest SubtreeHash(int lo, int hi)
    {
        var n = hi - lo;
        if ((n & (n - 1)) == 0 && lo % n == 0)
        {
            var level = System.Numerics.BitOperations.Log2((uint)n);
            return _levels[level][lo >> level];
        }

        var k = LargestPowerOfTwoBelow(n);
        return MerkleHash.Node(SubtreeHash(lo, lo + k), SubtreeHash(lo + k, hi));
    }

    /// <summary>PATH(m, D[lo:hi]) (RFC 6962 §2.1.1).</summary>
    private void PathCore(int m, int lo, int hi, ImmutableArray<Digest>.Builder proof)
    {
        var n = hi - lo;
        if (n == 1)
        {
            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m - lo < k)
        {
            PathCore(m, lo, lo + k, proof);
            proof.Add(SubtreeHash(lo + k, hi));
        }
        else
        {
            PathCore(m, lo + k, hi, proof);
            proof.Add(SubtreeHash(lo, lo + k));
        }
    }

    /// <summary>SUBPROOF(m, D[lo:hi], b) (RFC 6962 §2.1.2).</summary>
    private void SubproofCore(int m, int lo, int hi, bool complete, ImmutableArray<Digest>.Builder proof)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(SubtreeHash(lo, hi));
            }

            return;
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            SubproofCore(m, lo, lo + k, complete, proof);
            proof.Add(SubtreeHash(lo + k, hi));
        }
        else
        {
            SubproofCore(m - k, lo + k, hi, false, proof);
            proof.Add(SubtreeHash(lo, lo + k));
        }
    }

    /// <summary>The largest power of two strictly less than <paramref name="n"/> (n &gt;= 2).</summary>
    internal static int LargestPowerOfTwoBelow(int n) => 1 << System.Numerics.BitOperations.Log2((uint)(n - 1));
}
