using System.Security.Cryptography;
using System.Text;
using Registry.Core.Model;

namespace Registry.Core.Tests.Support;

/// <summary>
/// The state root computed straight from its definition in docs/PROTOCOL.md, with nothing but SHA-256, as an
/// independent oracle for <see cref="Registry.Core.State.StateTree"/>: root(S, d) = zero for no leaves, the
/// leaf hash for one, else H(0x01 || root(S with bit d = 0) || root(S with bit d = 1)).
/// </summary>
internal static class ReferenceRoot
{
    public static Digest Of(IEnumerable<Descriptor> descriptors)
    {
        var leaves = descriptors
            .Select(d => (Key: SHA256.HashData(Encoding.UTF8.GetBytes(d.Id)), Value: SHA256.HashData(d.CanonicalBytes)))
            .ToList();
        return new Digest(Root(leaves, 0));
    }

    public static byte[] Leaf(byte[] key, byte[] valueHash) => SHA256.HashData([0x00, .. key, .. valueHash]);

    public static byte[] Branch(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    public static int Bit(byte[] key, int index) => (key[index / 8] >> (7 - (index % 8))) & 1;

    private static byte[] Root(List<(byte[] Key, byte[] Value)> leaves, int depth) => leaves.Count switch
    {
        0 => new byte[32],
        1 => Leaf(leaves[0].Key, leaves[0].Value),
        _ => Branch(
            Root(leaves.Where(l => Bit(l.Key, depth) == 0).ToList(), depth + 1),
            Root(leaves.Where(l => Bit(l.Key, depth) == 1).ToList(), depth + 1)),
    };
}
