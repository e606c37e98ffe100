// Verification of RFC 6962 inclusion and consistency proofs by the algorithms of RFC 9162 sections 2.1.3.2 and
// 2.1.4.2, which need only the sizes, the proof and the roots: this is the half a client (the SDK, ronctl, a witness)
// runs, with no tree of its own.
using Registry.Core.Model;

namespace Registry.Core.Transparency;

/// <summary>Verifies RFC 6962 / RFC 9162 inclusion and consistency proofs. Thread-safe; a bad proof is false, never an exception.</summary>
public static class MerkleProof
{
    /// <summary>The longest proof a tree of up to 2^63 leaves can need.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// The root that <paramref name="proof"/> gives leaf <paramref name="index"/> (leaf hash <paramref name="leafHash"/>)
    /// in a tree of <paramref name="size"/> leaves; false when the proof cannot be one for those positions.
    /// </summary>
    public static bool TryRootFromInclusion(long index, long size, Digest leafHash, IReadOnlyList<Digest> proof, out Digest root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        root = default;
        if (index < 0 || index >= size || proof.Count > MaxLength)
        {
            return false;
        }

        // RFC 9162 §2.1.3.2.
        var fn = (ulong)index;
        var sn = (ulong)(size - 1);
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        if (sn != 0)
        {
            return false;
        }

        root = r;
        return true;
    }

    /// <summary>True when <paramref name="proof"/> proves leaf <paramref name="index"/> with <paramref name="leafHash"/> is in the tree of <paramref name="size"/> leaves with <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long size, Digest leafHash, IReadOnlyList<Digest> proof, Digest root) =>
        TryRootFromInclusion(index, size, leafHash, proof, out var computed) && computed == root;

    /// <summary>
    /// True when <paramref name="proof"/> proves the tree of <paramref name="size1"/> leaves with <paramref name="root1"/>
    /// is a prefix of the tree of <paramref name="size2"/> leaves with <paramref name="root2"/>. Equal sizes need an empty
    /// proof and equal roots; size1 = 0 is always false (a proof from the empty tree means nothing).
    /// </summary>
    public static bool VerifyConsistency(long size1, long size2, IReadOnlyList<Digest> proof, Digest root1, Digest root2)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 0 || size2 < size1 || proof.Count > MaxLength)
        {
            return false;
        }

        // A proof from the empty tree says nothing (transparency-dev/merkle refuses it too, whatever the sizes).
        if (size1 == 0)
        {
            return false;
        }

        if (size1 == size2)
        {
            return proof.Count == 0 && root1 == root2;
        }

        if (proof.Count == 0)
        {
            return false;
        }

        // RFC 9162 §2.1.4.2. When size1 is a power of two its root is the first node of the path, and is not sent.
        var first = 0;
        var fn = (ulong)(size1 - 1);
        var sn = (ulong)(size2 - 1);
        Digest fr;
        if ((size1 & (size1 - 1)) == 0)
        {
            fr = root1;
        }
        else
        {
            fr = proof[0];
            first = 1;
        }

        var sr = fr;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        for (var i = first; i < proof.Count; i++)
        {
            var c = proof[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr == root1 && sr == root2;
    }
}
