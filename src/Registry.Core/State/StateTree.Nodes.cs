using Registry.Core.Model;

namespace Registry.Core.State;

public sealed partial class StateTree
{
    private static Node Insert(Node? node, Leaf leaf, int depth, ref bool added)
    {
        switch (node)
        {
            case null:
                added = true;
                return leaf;
            case Leaf existing when existing.Key == leaf.Key:
                return leaf;
            case Leaf existing:
                added = true;
                return Split(existing, leaf, depth);
            default:
                var branch = (Branch)node;
                return leaf.Key.Bit(depth) == 0
                    ? new Branch(Insert(branch.Left, leaf, depth + 1, ref added), branch.Right)
                    : new Branch(branch.Left, Insert(branch.Right, leaf, depth + 1, ref added));
        }
    }

    private static Branch Split(Leaf a, Leaf b, int depth)
    {
        var bitA = a.Key.Bit(depth);
        if (bitA == b.Key.Bit(depth))
        {
            var child = Split(a, b, depth + 1);
            return bitA == 0 ? new Branch(child, null) : new Branch(null, child);
        }

        return bitA == 0 ? new Branch(a, b) : new Branch(b, a);
    }

    private static Node? Delete(Node? node, Digest key, int depth, ref bool removed)
    {
        switch (node)
        {
            case null:
                return null;
            case Leaf leaf:
                removed = leaf.Key == key;
                return removed ? null : leaf;
            default:
                var branch = (Branch)node;
                var right = key.Bit(depth) == 1;
                var child = Delete(right ? branch.Right : branch.Left, key, depth + 1, ref removed);
                if (!removed)
                {
                    return branch;
                }

                var other = right ? branch.Left : branch.Right;

                // Keep the canonical shape: a subtree with a single leaf is that leaf.
                if (child is null && other is Leaf or null)
                {
                    return other;
                }

                if (child is Leaf && other is null)
                {
                    return child;
                }

                return right ? new Branch(other, child) : new Branch(child, other);
        }
    }

    private static Node? BuildCore(ReadOnlySpan<Leaf> leaves, int depth)
    {
        if (leaves.Length <= 1)
        {
            return leaves.Length == 0 ? null : leaves[0];
        }

        var split = 0;
        while (split < leaves.Length && leaves[split].Key.Bit(depth) == 0)
        {
            split++;
        }

        return new Branch(BuildCore(leaves[..split], depth + 1), BuildCore(leaves[split..], depth + 1));
    }

    private static void DiffNodes(Node? before, Node? after, List<Descriptor> put, List<string> removed)
    {
        if (ReferenceEquals(before, after))
        {
            return;
        }

        if (before is Branch a && after is Branch b)
        {
            DiffNodes(a.Left, b.Left, put, removed);
            DiffNodes(a.Right, b.Right, put, removed);
            return;
        }

        // A leaf on either side (or nothing): the subtrees' shapes differ, so compare their leaves by key.
        var old = new Dictionary<Digest, Descriptor>();
        CollectLeaves(before, old);
        var now = new Dictionary<Digest, Descriptor>();
        CollectLeaves(after, now);
        foreach (var (key, value) in now)
        {
            if (!old.TryGetValue(key, out var previous) || previous.Hash != value.Hash)
            {
                put.Add(value);
            }
        }

        foreach (var (key, value) in old)
        {
            if (!now.ContainsKey(key))
            {
                removed.Add(value.Id);
            }
        }
    }

    private static void CollectLeaves(Node? node, Dictionary<Digest, Descriptor> into)
    {
        switch (node)
        {
            case Leaf leaf:
                into[leaf.Key] = leaf.Value;
                break;
            case Branch branch:
                CollectLeaves(branch.Left, into);
                CollectLeaves(branch.Right, into);
                break;
        }
    }

    internal static Digest HashLeaf(Digest key, Digest valueHash) => HashNode(0x00, key, valueHash);

    internal static Digest HashBranch(Digest left, Digest right) => HashNode(0x01, left, right);

    // SHA-256(prefix || a || b): 0x00 for leaves (key, value hash), 0x01 for branches (left, right).
    private static Digest HashNode(byte prefix, Digest a, Digest b)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Digest.Size)];
        buffer[0] = prefix;
        a.Bytes.CopyTo(buffer[1..]);
        b.Bytes.CopyTo(buffer[(1 + Digest.Size)..]);
        Span<byte> hash = stackalloc byte[Digest.Size];
        Crypto.Sha256.Hash(buffer, hash);
        return new Digest(hash);
    }

    // Node hashes are computed on first use, not on construction: the intermediate trees of a multi-change
    // transition (each Put/Remove builds a new path) are never hashed, only the nodes of the tree whose root
    // is asked for. A hash is written before its flag is published, so readers on other threads see either
    // "not yet" (and compute the same value themselves) or the complete digest.
    private abstract class Node
    {
        private Digest _hash;
        private volatile bool _hashed;

        public Digest Hash
        {
            get
            {
                if (!_hashed)
                {
                    _hash = ComputeHash();
                    _hashed = true;
                }

                return _hash;
            }
        }

        protected abstract Digest ComputeHash();
    }

    private sealed class Leaf : Node
    {
        public Leaf(Digest key, Descriptor value)
        {
            Key = key;
            Value = value;
        }

        public Digest Key { get; }

        public Descriptor Value { get; }

        protected override Digest ComputeHash() => HashLeaf(Key, Value.Hash);
    }

    private sealed class Branch : Node
    {
        public Branch(Node? left, Node? right)
        {
            Left = left;
            Right = right;
        }

        public Node? Left { get; }

        public Node? Right { get; }

        protected override Digest ComputeHash() => HashBranch(Left?.Hash ?? Digest.Zero, Right?.Hash ?? Digest.Zero);
    }
}
