// RFC 6962 section 2.1 (and RFC 9162 section 2.1.1) hashing with SHA-256: a leaf is SHA-256(0x00 || entry), an
// interior node SHA-256(0x01 || left || right), the empty tree SHA-256 of nothing. The transparency log's entries
// are the 32 raw bytes of each commit record's hash (docs/PROTOCOL.md, "Transparency log").
using Registry.Core.Model;

namespace Registry.Core.Transparency;

/// <summary>The RFC 6962 leaf, node and empty-tree hashes (SHA-256). Thread-safe.</summary>
public static class MerkleHash
{
    /// <summary>The domain-separation byte of a leaf hash.</summary>
    public const byte LeafPrefix = 0x00;

    /// <summary>The domain-separation byte of an interior node hash.</summary>
    public const byte NodePrefix = 0x01;

    /// <summary>The root of the empty tree: SHA-256 of the empty string.</summary>
    public static Digest EmptyRoot { get; } = Digest.Compute([]);

    /// <summary>SHA-256(0x00 || <paramref name="entry"/>).</summary>
    public static Digest Leaf(ReadOnlySpan<byte> entry)
    {
        // Entries here are 32 bytes; anything up to a small stack buffer avoids an allocation.
        Span<byte> buffer = entry.Length <= 255 ? stackalloc byte[entry.Length + 1] : new byte[entry.Length + 1];
        buffer[0] = LeafPrefix;
        entry.CopyTo(buffer[1..]);
        return Digest.Compute(buffer);
    }

    /// <summary>The leaf hash of a commit record: SHA-256(0x00 || the 32 bytes of its hash).</summary>
    public static Digest Leaf(Digest commitHash) => Leaf(commitHash.Bytes);

    /// <summary>SHA-256(0x01 || <paramref name="left"/> || <paramref name="right"/>).</summary>
    public static Digest Node(Digest left, Digest right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Digest.Size)];
        buffer[0] = NodePrefix;
        left.Bytes.CopyTo(buffer[1..]);
        right.Bytes.CopyTo(buffer[(1 + Digest.Size)..]);
        return Digest.Compute(buffer);
    }
}
