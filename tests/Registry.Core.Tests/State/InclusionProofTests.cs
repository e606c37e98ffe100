using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.State;

public sealed class InclusionProofTests
{
    private static readonly List<Descriptor> s_all = Enumerable.Range(0, 300).Select(i => Given.Region("region:" + i, "n" + i)).ToList();
    private static readonly StateTree s_tree = StateTree.Build(s_all);

    [Fact]
    public void Prove_EveryDescriptor_VerifiesAgainstTheRoot()
    {
        foreach (var d in s_all)
        {
            var proof = s_tree.Prove(d.Id);
            Assert.NotNull(proof);
            Assert.True(proof.Verify(d, s_tree.Root), d.Id);
            Assert.True(proof.Verify(d.Id, d.CanonicalBytes, s_tree.Root));
        }
    }

    [Fact]
    public void Prove_SingleDescriptorTree_HasNoSiblings()
    {
        var d = Given.Region("only");
        var tree = StateTree.Empty.Put(d);
        var proof = tree.Prove("only")!;
        Assert.Empty(proof.Siblings);
        Assert.True(proof.Verify(d, tree.Root));
    }

    [Fact]
    public void Prove_AbsentId_IsNull()
    {
        Assert.Null(s_tree.Prove("region:absent"));
        Assert.Null(StateTree.Empty.Prove("x"));
    }

    [Fact]
    public void Verify_TamperedDescriptor_Fails()
    {
        var d = s_all[17];
        var proof = s_tree.Prove(d.Id)!;
        var tampered = Given.Region(d.Id, "other name");
        Assert.False(proof.Verify(tampered, s_tree.Root));
        var bytes = d.CanonicalBytes.ToArray();
        bytes[^3] ^= 0x01;
        Assert.False(proof.Verify(d.Id, bytes, s_tree.Root));
    }

    [Fact]
    public void Verify_AnyTamperedSibling_Fails()
    {
        var d = s_all[42];
        var proof = s_tree.Prove(d.Id)!;
        Assert.NotEmpty(proof.Siblings);
        for (var i = 0; i < proof.Siblings.Length; i++)
        {
            var bytes = proof.Siblings[i].Bytes.ToArray();
            bytes[i % 32] ^= 0x80;
            var bad = proof with { Siblings = proof.Siblings.SetItem(i, new Digest(bytes)) };
            Assert.False(bad.Verify(d, s_tree.Root), $"sibling {i}");
        }
    }

    [Fact]
    public void Verify_MissingOrExtraSibling_Fails()
    {
        var d = s_all[5];
        var proof = s_tree.Prove(d.Id)!;
        Assert.False((proof with { Siblings = proof.Siblings.RemoveAt(proof.Siblings.Length - 1) }).Verify(d, s_tree.Root));
        Assert.False((proof with { Siblings = proof.Siblings.Add(Digest.Zero) }).Verify(d, s_tree.Root));
    }

    [Fact]
    public void Verify_OtherRootOrOtherId_Fails()
    {
        var d = s_all[9];
        var proof = s_tree.Prove(d.Id)!;
        var otherRoot = s_tree.Put(Given.Region("region:new")).Root;
        Assert.False(proof.Verify(d, otherRoot));
        Assert.False(proof.Verify(d, Digest.Zero));
        Assert.False(proof.Verify(s_all[10], s_tree.Root));
        Assert.False((proof with { Key = StateTree.KeyOf(s_all[10].Id) }).Verify(d, s_tree.Root));
    }

    [Fact]
    public void Verify_ProofWithMoreThan256Siblings_Fails()
    {
        var d = s_all[0];
        var proof = new InclusionProof(StateTree.KeyOf(d.Id), [.. Enumerable.Repeat(Digest.Zero, 257)]);
        Assert.False(proof.Verify(d, s_tree.Root));
    }

    [Fact]
    public void WriteTo_Proof_RoundTripsThroughJson()
    {
        var proof = s_tree.Prove(s_all[3].Id)!;
        var json = ModelJson.Write(proof.WriteTo);
        Assert.StartsWith("{\"key\":\"sha256:", json, StringComparison.Ordinal);
        var back = ModelJson.Read(json, InclusionProof.FromJson);
        Assert.Equal(proof.Key, back.Key);
        Assert.Equal(proof.Siblings.ToArray(), back.Siblings.ToArray());
        Assert.True(back.Verify(s_all[3], s_tree.Root));
    }

    [Theory]
    [InlineData("{\"key\":\"sha256:00\",\"siblings\":[]}")]
    [InlineData("{\"key\":\"Z\",\"siblings\":[]}")]
    [InlineData("{\"siblings\":[]}")]
    [InlineData("{\"key\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\",\"siblings\":[1]}")]
    [InlineData("{\"key\":\"sha256:0000000000000000000000000000000000000000000000000000000000000000\",\"siblings\":[\"x\"]}")]
    public void FromJson_BadProof_IsMalformed(string json) =>
        Assert.Throws<RegistryFormatException>(() => ModelJson.Read(json, InclusionProof.FromJson));

    [Fact]
    public void Siblings_OfProof_AreOrderedRootFirst()
    {
        // With two leaves that split at depth k, the proof of one has k+1 siblings: k empty ones, then the other leaf.
        var a = Given.Region("a");
        var b = Given.Region("b");
        var tree = StateTree.Empty.Put(a).Put(b);
        var proof = tree.Prove("a")!;
        var leafB = StateTree.Empty.Put(b).Root;
        Assert.Equal(leafB, proof.Siblings[^1]);
        Assert.All(proof.Siblings.Take(proof.Siblings.Length - 1), s => Assert.Equal(Digest.Zero, s));
        Assert.Empty(StateTree.Empty.Put(a).Prove("a")!.Siblings);
    }
}
