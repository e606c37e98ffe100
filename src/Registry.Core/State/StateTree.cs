// The state root (SPEC §1): a sparse Merkle tree over SHA-256(UTF-8 id), with leaf shortcuts.
//   leaf   = SHA-256(0x00 || key || SHA-256(canonical descriptor))      key = SHA-256(UTF-8(id))
//   branch = SHA-256(0x01 || left || right)                             an empty side is 32 zero bytes
//   root of the empty tree = 32 zero bytes
// A subtree holding exactly one leaf is that leaf (it sits at the shallowest depth where its key
// prefix is unique), so the shape depends only on the set of keys: the root is history-independent.
// Paths are the key's bits, most significant bit of byte 0 first; expected depth is log2(n) + O(1),
// so k changes cost O(k log n) hashes. Nodes are immutable and shared between versions; a node's hash is
// computed when first needed, so the intermediate trees of a multi-change update are never hashed.
using System.Collections;
using Registry.Core.Model;

namespace Registry.Core.State;

/// <summary>
/// The descriptor set at one version, and its Merkle root. Persistent: every update returns a new tree
/// sharing all untouched nodes with the old one.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed partial class StateTree : IEnumerable<Descriptor>
{
    private readonly Node? _root;

    private StateTree(Node? root, int count)
    {
        _root = root;
        Count = count;
    }

    /// <summary>The empty set.</summary>
    public static StateTree Empty { get; } = new(null, 0);

    /// <summary>Number of descriptors.</summary>
    public int Count { get; }

    /// <summary>The state root.</summary>
    public Digest Root => _root?.Hash ?? Digest.Zero;

    /// <summary>The tree key of an id: SHA-256 of its UTF-8 bytes.</summary>
    public static Digest KeyOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);

        // Valid ids are at most 128 ASCII characters; anything longer (a lookup by an unchecked id) goes to
        // the heap, so the stack never holds more than a small, fixed buffer.
        const int StackLimit = 512;
        var utf8 = id.Length <= StackLimit / 3 ? stackalloc byte[StackLimit] : new byte[System.Text.Encoding.UTF8.GetByteCount(id)];
        var length = System.Text.Encoding.UTF8.GetBytes(id, utf8);
        return Digest.Compute(utf8[..length]);
    }

    /// <summary>Finds a descriptor by id.</summary>
    public bool TryGet(string id, out Descriptor descriptor) => TryGet(KeyOf(id), out descriptor);

    /// <summary>Finds a descriptor by its tree key.</summary>
    internal bool TryGet(Digest key, out Descriptor descriptor)
    {
        var node = _root;
        for (var depth = 0; node is Branch branch; depth++)
        {
            node = key.Bit(depth) == 0 ? branch.Left : branch.Right;
        }

        if (node is Leaf leaf && leaf.Key == key)
        {
            descriptor = leaf.Value;
            return true;
        }

        descriptor = null!;
        return false;
    }

    /// <summary>Adds or replaces a descriptor.</summary>
    public StateTree Put(Descriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var added = false;
        var root = Insert(_root, new Leaf(descriptor.TreeKey, descriptor), 0, ref added);
        return new StateTree(root, added ? Count + 1 : Count);
    }

    /// <summary>Removes a descriptor; returns this tree when the id is absent.</summary>
    public StateTree Remove(string id) => Remove(KeyOf(id));

    /// <summary>Removes the descriptor with tree key <paramref name="key"/>; returns this tree when it is absent.</summary>
    internal StateTree Remove(Digest key)
    {
        var removed = false;
        var root = Delete(_root, key, 0, ref removed);
        return removed ? new StateTree(root, Count - 1) : this;
    }

    /// <summary>Builds a tree from a set of descriptors in O(n log n) (ids must be unique).</summary>
    public static StateTree Build(IEnumerable<Descriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        var leaves = descriptors.Select(d => new Leaf(d.TreeKey, d)).ToArray();
        Array.Sort(leaves, static (a, b) => a.Key.CompareTo(b.Key));
        for (var i = 1; i < leaves.Length; i++)
        {
            if (leaves[i].Key == leaves[i - 1].Key)
            {
                throw new ArgumentException($"Descriptor id '{leaves[i].Value.Id}' appears twice.", nameof(descriptors));
            }
        }

        return new StateTree(BuildCore(leaves, 0), leaves.Length);
    }

    /// <summary>An inclusion proof for <paramref name="id"/>, or null when it is absent.</summary>
    public InclusionProof? Prove(string id)
    {
        var key = KeyOf(id);
        var siblings = new List<Digest>();
        var node = _root;
        for (var depth = 0; node is Branch branch; depth++)
        {
            var right = key.Bit(depth) == 1;
            siblings.Add((right ? branch.Left : branch.Right)?.Hash ?? Digest.Zero);
            node = right ? branch.Right : branch.Left;
        }

        return node is Leaf leaf && leaf.Key == key ? new InclusionProof(key, [.. siblings]) : null;
    }

    /// <summary>
    /// What changed from <paramref name="from"/> to this tree: descriptors put (added, or replaced by another value) and
    /// ids removed. Walks only the subtrees the two do not share, so for a tree derived from the other by k changes it
    /// costs O(k log n); unrelated trees are compared whole. A descriptor put again with an identical value is not
    /// reported (leaves are compared by key and value hash).
    /// </summary>
    public (List<Descriptor> Put, List<string> Removed) DiffFrom(StateTree from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var put = new List<Descriptor>();
        var removed = new List<string>();
        DiffNodes(from._root, _root, put, removed);
        return (put, removed);
    }

    /// <summary>Every descriptor, in key order (deterministic, not id order).</summary>
    public IEnumerator<Descriptor> GetEnumerator()
    {
        if (_root is null)
        {
            yield break;
        }

        var stack = new Stack<Node>();
        stack.Push(_root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case Leaf leaf:
                    yield return leaf.Value;
                    break;
                case Branch branch:
                    if (branch.Right is not null)
                    {
                        stack.Push(branch.Right);
                    }

                    if (branch.Left is not null)
                    {
                        stack.Push(branch.Left);
                    }

                    break;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
