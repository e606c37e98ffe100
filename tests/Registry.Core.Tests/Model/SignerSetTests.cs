using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Model;

public sealed class SignerSetTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 3)]
    [InlineData(3, 3)]
    [InlineData(1, 64)]
    [InlineData(64, 64)]
    public void Create_ThresholdWithinOneToN_IsAccepted(int threshold, int n)
    {
        var set = SignerSet.Create(1, threshold, Signers(n));
        Assert.Equal(threshold, set.Threshold);
        Assert.Equal(n, set.Signers.Length);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(-1, 3)]
    [InlineData(4, 3)]
    [InlineData(1, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 65)]
    [InlineData(65, 65)]
    public void Create_ThresholdOrSizeOutOfRange_IsInvalidDescriptor(int threshold, int n) =>
        Assert.Equal(RegistryErrorCode.InvalidDescriptor, Assert.Throws<RegistryFormatException>(() => SignerSet.Create(1, threshold, Signers(n))).Code);

    [Fact]
    public void Create_DuplicateSignerId_IsInvalidDescriptor() =>
        Assert.Equal(
            RegistryErrorCode.InvalidDescriptor,
            Assert.Throws<RegistryFormatException>(() => SignerSet.Create(1, 1, [TestKeys.Signer("a", 1), TestKeys.Signer("a", 2)])).Code);

    [Fact]
    public void Create_SameKeyTwice_IsInvalidDescriptor() =>
        Assert.Equal(
            RegistryErrorCode.InvalidDescriptor,
            Assert.Throws<RegistryFormatException>(() => SignerSet.Create(1, 1, [TestKeys.Signer("a", 1), TestKeys.Signer("b", 1)])).Code);

    [Fact]
    public void Create_VersionZero_IsInvalidDescriptor() =>
        Assert.Throws<RegistryFormatException>(() => SignerSet.Create(0, 1, Signers(1)));

    [Fact]
    public void WriteTo_Set_HasCanonicalKeyOrderAndKeepsSignerOrder()
    {
        var set = SignerSet.Create(7, 1, [TestKeys.Signer("zed", 1), TestKeys.Signer("amy", 2)]);
        var k1 = TestKeys.Key(1).PublicKey.ToBase64();
        var k2 = TestKeys.Key(2).PublicKey.ToBase64();

        Assert.Equal(
            "{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"zed\",\"public_key\":\"" + k1 + "\"},{\"algo\":\"ed25519\",\"id\":\"amy\",\"public_key\":\"" + k2 + "\"}],\"threshold\":1,\"version\":7}",
            Given.Text(set.ToCanonicalBytes()));
    }

    [Fact]
    public void FromJson_CanonicalBytes_RoundTrips()
    {
        var set = TestKeys.Set(3, 2, ("a", 1), ("b", 2), ("c", 3));
        var back = ModelJson.Read(Given.Text(set.ToCanonicalBytes()), SignerSet.FromJson);
        Assert.Equal(set.ToCanonicalBytes(), back.ToCanonicalBytes());
        Assert.True(back.TryGetKey("b", out var key));
        Assert.Equal(TestKeys.Key(2).PublicKey, key);
        Assert.False(back.TryGetKey("d", out _));
        Assert.False(back.TryGetKey("B", out _));
    }

    [Theory]
    [InlineData("{\"signers\":[{\"algo\":\"rsa\",\"id\":\"a\",\"public_key\":\"KEY\"}],\"threshold\":1,\"version\":1}", RegistryErrorCode.Malformed)]
    [InlineData("{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"a\",\"public_key\":\"AAAA\"}],\"threshold\":1,\"version\":1}", RegistryErrorCode.Malformed)]
    [InlineData("{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"a\",\"public_key\":\"KEY\"}],\"threshold\":1,\"version\":0}", RegistryErrorCode.Malformed)]
    [InlineData("{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"a\",\"public_key\":\"KEY\"}],\"threshold\":0,\"version\":1}", RegistryErrorCode.InvalidDescriptor)]
    [InlineData("{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"a\",\"public_key\":\"KEY\"}],\"threshold\":2,\"version\":1}", RegistryErrorCode.InvalidDescriptor)]
    [InlineData("{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"a\",\"public_key\":\"KEY\"}],\"threshold\":66,\"version\":1}", RegistryErrorCode.Malformed)]
    [InlineData("{\"signers\":[],\"threshold\":1,\"version\":1}", RegistryErrorCode.InvalidDescriptor)]
    [InlineData("{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"a\",\"public_key\":\"KEY\"}],\"threshold\":1}", RegistryErrorCode.Malformed)]
    [InlineData("{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"a\",\"public_key\":\"KEY\",\"x\":1}],\"threshold\":1,\"version\":1}", RegistryErrorCode.Malformed)]
    public void FromJson_BadSet_IsRejectedWithCode(string json, RegistryErrorCode code) =>
        Assert.Equal(
            code,
            Assert.Throws<RegistryFormatException>(() => ModelJson.Read(json.Replace("KEY", TestKeys.Key(1).PublicKey.ToBase64(), StringComparison.Ordinal), SignerSet.FromJson)).Code);

    private static IEnumerable<Signer> Signers(int n) => Enumerable.Range(1, n).Select(i => TestKeys.Signer("s" + i, (byte)i));
}
