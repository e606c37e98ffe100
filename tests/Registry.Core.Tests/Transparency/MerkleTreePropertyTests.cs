using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Model;
using Registry.Core.Tests.Support;
using Registry.Core.Transparency;

namespace Registry.Core.Tests.Transparency;

/// <summary>
/// The incremental tree against RFC 6962 §2.1 written out naively (recursive MTH, PATH and SUBPROOF over the list of
/// leaf hashes): for random sizes the roots at every size, the inclusion proof of every leaf and consistency proofs
/// between random sizes are the same, and the RFC 9162 verifiers accept them and refuse altered ones.
/// </summary>
public sealed class MerkleTreePropertyTests
{
    private static Digest[] Leaves(int count, int seed) =>
        [.. Enumerable.Range(0, count).Select(i => MerkleHash.Leaf(BitConverter.GetBytes((seed * 1_000_003L) + i)))];

    private static MerkleTree Build(Digest[] leaves)
    {
        var tree = new MerkleTree();
        foreach (var leaf in leaves)
        {
            tree.AppendLeafHash(leaf);
        }

        return tree;
    }

    [Fact]
    public void Root_EverySizeOfRandomTrees_EqualsNaiveMth()
    {
        PropertyCheck.Run(
            Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (size, seed) =>
            {
                var leaves = Leaves(size, seed);
                var tree = new MerkleTree();
                for (var s = 0; s <= size; s++)
                {
                    if (tree.Root() != Naive.Mth(leaves.AsSpan(0, s)))
                    {
                        return false;
                    }

                    if (s < size)
                    {
                        tree.AppendLeafHash(leaves[s]);
                    }
                }

                return Enumerable.Range(0, size + 1).All(s => tree.RootAt(s) == Naive.Mth(leaves.AsSpan(0, s)));
            }),
            maxTest: 60);
    }

    [Fact]
    public void InclusionProof_EveryLeafOfRandomTrees_EqualsNaivePathAndVerifies()
    {
        PropertyCheck.Run(
            Prop.ForAll(Gen.Choose(1, 200).ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (size, seed) =>
            {
                var leaves = Leaves(size + 20, seed);
                var tree = Build(leaves);
                var root = Naive.Mth(leaves.AsSpan(0, size));
                for (var m = 0; m < size; m++)
                {
                    var proof = tree.InclusionProof(m, size);
                    if (!proof.SequenceEqual(Naive.Path(m, leaves.AsSpan(0, size)))
                        || !MerkleProof.VerifyInclusion(m, size, leaves[m], proof, root)
                        || MerkleProof.VerifyInclusion(m, size, leaves[(m + 1) % (size + 20)], proof, root)
                        || (size > 1 && MerkleProof.VerifyInclusion((m + 1) % size, size, leaves[m], proof, root))
                        || MerkleProof.VerifyInclusion(m, size * 2, leaves[m], proof, root))
                    {
                        return false;
                    }
                }

                return true;
            }),
            maxTest: 60);
    }

    [Fact]
    public void ConsistencyProof_RandomSizes_EqualsNaiveProofAndVerifies()
    {
        var sizes = from size2 in Gen.Choose(1, 400)
                    from size1 in Gen.Choose(1, size2)
                    from seed in Gen.Choose(0, 1000)
                    select (size1, size2, seed);
        PropertyCheck.Run(
            Prop.ForAll(sizes.ToArbitrary(), t =>
            {
                var (size1, size2, seed) = t;
                var leaves = Leaves(size2 + 5, seed);
                var tree = Build(leaves);
                var root1 = Naive.Mth(leaves.AsSpan(0, size1));
                var root2 = Naive.Mth(leaves.AsSpan(0, size2));
                var proof = tree.ConsistencyProof(size1, size2);
                var ok = proof.SequenceEqual(Naive.Proof(size1, leaves.AsSpan(0, size2)))
                    && MerkleProof.VerifyConsistency(size1, size2, proof, root1, root2);
                if (size1 == size2)
                {
                    return ok;
                }

                // Any single flipped node, a wrong old root or a wrong old size must break it.
                var flipped = proof.Select((h, i) => i == seed % proof.Length ? MerkleHash.Node(h, h) : h).ToArray();
                return ok
                    && !MerkleProof.VerifyConsistency(size1, size2, flipped, root1, root2)
                    && !MerkleProof.VerifyConsistency(size1, size2, proof, MerkleHash.Node(root1, root1), root2)
                    && !MerkleProof.VerifyConsistency(size1, size2, proof, root1, MerkleHash.Node(root2, root2))
                    && (size1 == 1 || !MerkleProof.VerifyConsistency(size1 - 1, size2, proof, root1, root2));
            }),
            maxTest: 200);
    }

    [Fact]
    public void Append_HundredThousandLeaves_RootEqualsNaiveMth()
    {
        var leaves = Leaves(100_000, 7);
        var tree = Build(leaves);
        Assert.Equal(100_000, tree.Size);
        Assert.Equal(Naive.Mth(leaves), tree.Root());
        Assert.Equal(Naive.Mth(leaves.AsSpan(0, 65_537)), tree.RootAt(65_537));
    }

    [Fact]
    public void Proofs_OutOfRangeArguments_Throw()
    {
        var tree = Build(Leaves(5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.RootAt(6));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.InclusionProof(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.InclusionProof(0, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.ConsistencyProof(4, 3));
        Assert.Empty(tree.ConsistencyProof(0, 5));
        Assert.Empty(tree.ConsistencyProof(5, 5));
    }

    /// <summary>RFC 6962 §2.1 as written: recursive, O(n) per call, no stored nodes.</summary>
    private static class Naive
    {
        public static Digest Mth(ReadOnlySpan<Digest> d)
        {
            if (d.Length == 0)
            {
                return Digest.Compute([]);
            }

            if (d.Length == 1)
            {
                return d[0];
            }

            var k = K(d.Length);
            return MerkleHash.Node(Mth(d[..k]), Mth(d[k..]));
        }

        public static List<Digest> Path(int m, ReadOnlySpan<Digest> d)
        {
            if (d.Length == 1)
            {
                return [];
            }

            var k = K(d.Length);
            if (m < k)
            {
                var path = Path(m, d[..k]);
                path.Add(Mth(d[k..]));
                return path;
            }

            var right = Path(m - k, d[k..]);
            right.Add(Mth(d[..k]));
            return right;
        }

        public static List<Digest> Proof(int m, ReadOnlySpan<Digest> d) => m == d.Length ? [] : Subproof(m, d, true);

        private static List<Digest> Subproof(int m, ReadOnlySpan<Digest> d, bool b)
        {
            if (m == d.Length)
            {
                return b ? [] : [Mth(d)];
            }

            var k = K(d.Length);
            if (m <= k)
            {
                var proof = Subproof(m, d[..k], b);
                proof.Add(Mth(d[k..]));
                return proof;
            }

            var right = Subproof(m - k, d[k..], false);
            right.Add(Mth(d[..k]));
            return right;
        }

        private static int K(int n)
        {
            var k = 1;
            while (k * 2 < n)
            {
                k *= 2;
            }

            return k;
        }
    }
}
