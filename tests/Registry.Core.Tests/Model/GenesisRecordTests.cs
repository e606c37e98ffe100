using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Model;

public sealed class GenesisRecordTests
{
    private static string TrustRoots(string registry = "reg-1") =>
        "{ \"signer_set\": " + Given.Text(TestKeys.Set(1, 2, ("alice", 1), ("bob", 2), ("carol", 3)).ToCanonicalBytes()) + ", \"registry\": \"" + registry + "\" }";

    [Fact]
    public void FromTrustRoots_Document_GivesRecordZeroWithZeroLinks()
    {
        var genesis = GenesisRecord.FromTrustRoots(Given.Utf8(TrustRoots()));
        var set = Given.Text(genesis.SignerSet.ToCanonicalBytes());
        var zero = "sha256:" + new string('0', 64);
        var expected = "{\"prev_hash\":\"" + zero + "\",\"registry\":\"reg-1\",\"signer_set\":" + set + ",\"state_root\":\"" + zero + "\",\"version\":0}";

        Assert.Equal(expected, Given.Text(genesis.CanonicalBytes));
        Assert.Equal(Digest.Compute(Given.Utf8(expected)), genesis.Hash);
        Assert.Equal("reg-1", genesis.Registry);
        Assert.Equal(2, genesis.SignerSet.Threshold);
    }

    [Fact]
    public void FromTrustRoots_SameRootsSpelledDifferently_GiveSameHashAndDigest()
    {
        var a = Given.Utf8(TrustRoots());
        var b = CanonicalJson.Canonicalize(a);
        Assert.Equal(GenesisRecord.FromTrustRoots(a).Hash, GenesisRecord.FromTrustRoots(b).Hash);
        Assert.Equal(GenesisRecord.TrustRootsDigest(a), GenesisRecord.TrustRootsDigest(b));
        Assert.Equal(Digest.Compute(b), GenesisRecord.TrustRootsDigest(a));
    }

    [Fact]
    public void ToTrustRootsDocument_Genesis_IsTheCanonicalDocument()
    {
        var genesis = GenesisRecord.FromTrustRoots(Given.Utf8(TrustRoots()));
        Assert.Equal(CanonicalJson.Canonicalize(Given.Utf8(TrustRoots())), genesis.ToTrustRootsDocument());
    }

    [Fact]
    public void FromTrustRoots_OtherRegistry_GivesOtherHash() =>
        Assert.NotEqual(GenesisRecord.FromTrustRoots(Given.Utf8(TrustRoots("reg-1"))).Hash, GenesisRecord.FromTrustRoots(Given.Utf8(TrustRoots("reg-2"))).Hash);

    [Theory]
    [InlineData("{\"registry\":\"reg\"}")]
    [InlineData("{\"registry\":\"Reg One\",\"signer_set\":SET}")]
    [InlineData("{\"registry\":\"reg\",\"signer_set\":SET,\"note\":\"x\"}")]
    [InlineData("{\"signer_set\":SET}")]
    public void FromTrustRoots_BadDocument_IsMalformed(string json)
    {
        var set = Given.Text(TestKeys.Set(1, 1, ("alice", 1)).ToCanonicalBytes());
        var error = Assert.Throws<RegistryFormatException>(() => GenesisRecord.FromTrustRoots(Given.Utf8(json.Replace("SET", set, StringComparison.Ordinal))));
        Assert.Equal(RegistryErrorCode.Malformed, error.Code);
    }
}
