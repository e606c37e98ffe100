using System.Text.Json;
using Registry.Core.Model;
using Registry.Core.Tests.Support;
using Registry.Core.Transparency;

namespace Registry.Core.Tests.Transparency;

/// <summary>
/// The RFC 6962 vectors of transparency-dev/merkle (Vectors/merkle, README.md there names the commit): the tree of
/// testonly/constants.go rebuilt leaf by leaf gives every listed root and node hash, and every inclusion and
/// consistency probe of testdata/ (happy paths and their corruptions) verifies exactly when upstream says it does.
/// </summary>
public sealed class MerkleVectorTests
{
    private static readonly JsonElement s_tree = JsonDocument.Parse(File.ReadAllText(Vectors.PathOf("merkle", "rfc6962_tree.json"))).RootElement;

    public static TheoryData<string> InclusionProbes() => Probes("inclusion");

    public static TheoryData<string> ConsistencyProbes() => Probes("consistency");

    [Fact]
    public void Append_ConstantsLeaves_GivesEveryRootAndNodeHash()
    {
        var tree = new MerkleTree();
        var roots = s_tree.GetProperty("root_hashes_hex").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(roots[0], tree.Root().ToHex());
        Assert.Equal(roots[0], MerkleHash.EmptyRoot.ToHex());
        var size = 0;
        foreach (var leaf in s_tree.GetProperty("leaf_inputs_hex").EnumerateArray())
        {
            tree.Append(Hex.Decode(leaf.GetString()!));
            size++;
            Assert.Equal(roots[size], tree.Root().ToHex());
        }

        for (var s = 0; s <= size; s++)
        {
            Assert.Equal(roots[s], tree.RootAt(s).ToHex());
        }

        var level = 0;
        foreach (var hashes in s_tree.GetProperty("node_hashes_hex").EnumerateArray())
        {
            var index = 0;
            foreach (var hash in hashes.EnumerateArray())
            {
                Assert.True(tree.TryGetNode(level, index, out var node));
                Assert.Equal(hash.GetString(), node.ToHex());
                index++;
            }

            Assert.False(tree.TryGetNode(level, index, out _));
            level++;
        }
    }

    [Theory]
    [MemberData(nameof(InclusionProbes))]
    public void VerifyInclusion_UpstreamProbe_AgreesWithWantErr(string file)
    {
        var probe = Load(file);
        var wantErr = probe.GetProperty("wantErr").GetBoolean();
        if (RefusedByType(probe, wantErr, "leafHash", "root"))
        {
            return;
        }

        var verified = MerkleProof.VerifyInclusion(Size(probe, "leafIdx"), Size(probe, "treeSize"), Hash(probe, "leafHash"), ProofOf(probe), Hash(probe, "root"));
        Assert.Equal(!wantErr, verified);
    }

    [Theory]
    [MemberData(nameof(ConsistencyProbes))]
    public void VerifyConsistency_UpstreamProbe_AgreesWithWantErr(string file)
    {
        var probe = Load(file);
        var wantErr = probe.GetProperty("wantErr").GetBoolean();
        if (RefusedByType(probe, wantErr, "root1", "root2"))
        {
            return;
        }

        var verified = MerkleProof.VerifyConsistency(Size(probe, "size1"), Size(probe, "size2"), ProofOf(probe), Hash(probe, "root1"), Hash(probe, "root2"));
        Assert.Equal(!wantErr, verified);
    }

    [Fact]
    public void Proofs_OfTheConstantsTree_EqualTheUpstreamHappyPaths()
    {
        var tree = new MerkleTree();
        foreach (var leaf in s_tree.GetProperty("leaf_inputs_hex").EnumerateArray())
        {
            tree.Append(Hex.Decode(leaf.GetString()!));
        }

        var checkedCount = 0;
        foreach (var file in Files("inclusion").Where(f => f.EndsWith("happy-path.json", StringComparison.Ordinal)))
        {
            var probe = Load(file);
            var size = probe.GetProperty("treeSize").GetInt64();
            var proof = tree.InclusionProof(probe.GetProperty("leafIdx").GetInt64(), size);
            Assert.Equal(ProofOf(probe), proof.ToArray());
            Assert.Equal(Hash(probe, "root"), tree.RootAt(size));
            checkedCount++;
        }

        foreach (var file in Files("consistency").Where(f => f.EndsWith("happy-path.json", StringComparison.Ordinal)))
        {
            var probe = Load(file);
            var (size1, size2) = (probe.GetProperty("size1").GetInt64(), probe.GetProperty("size2").GetInt64());
            Assert.Equal(ProofOf(probe), tree.ConsistencyProof(size1, size2).ToArray());
            Assert.Equal(Hash(probe, "root1"), tree.RootAt(size1));
            Assert.Equal(Hash(probe, "root2"), tree.RootAt(size2));
            checkedCount++;
        }

        Assert.Equal(10, checkedCount);
    }

    private static TheoryData<string> Probes(string kind) => [.. Files(kind)];

    private static IEnumerable<string> Files(string kind) =>
        Directory.EnumerateFiles(Vectors.PathOf("merkle", kind), "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Vectors.PathOf("merkle"), f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    private static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Vectors.PathOf(["merkle", .. file.Split('/')]))).RootElement;

    /// <summary>
    /// This API takes hashes as <see cref="Digest"/>, exactly 32 bytes: a probe whose root or leaf hash has another
    /// length ("WrongLeaf", an empty hash) cannot even be passed to it, which is this API's refusal. Such probes must
    /// expect an error upstream too, unless the wrong-length roots are equal and the proof is trivially empty
    /// (upstream's "sizes are equal" cases compare the bytes only): those are run with each value as its SHA-256,
    /// which keeps equal values equal.
    /// </summary>
    private static bool RefusedByType(JsonElement probe, bool wantErr, params string[] fields)
    {
        var wrong = fields.Select(f => Bytes(probe, f)).Where(b => b.Length != Digest.Size).ToArray();
        if (wrong.Length == 0 || !wantErr)
        {
            return false;
        }

        Assert.All(wrong, b => Assert.Throws<ArgumentException>(() => new Digest(b)));
        return true;
    }

    private static byte[] Bytes(JsonElement probe, string name) => Convert.FromBase64String(probe.GetProperty(name).GetString() ?? string.Empty);

    /// <summary>A uint64 size or index; one past <see cref="long.MaxValue"/> wraps negative, which the API refuses like upstream's "beyond size".</summary>
    private static long Size(JsonElement probe, string name) => unchecked((long)probe.GetProperty(name).GetUInt64());

    private static Digest Hash(JsonElement probe, string name) => AsDigest(Bytes(probe, name));

    private static Digest[] ProofOf(JsonElement probe)
    {
        var proof = probe.GetProperty("proof");
        return proof.ValueKind == JsonValueKind.Null ? [] : [.. proof.EnumerateArray().Select(e => AsDigest(Convert.FromBase64String(e.GetString() ?? string.Empty)))];
    }

    /// <summary>A 32-byte value as it is; a proof element of another length (trailing "garbage") as its SHA-256, still a wrong node.</summary>
    private static Digest AsDigest(byte[] bytes) => bytes.Length == Digest.Size ? new Digest(bytes) : Digest.Compute(bytes);
}
