using Registry.Core.Crypto;

namespace Registry.Core.Tests.Crypto;

public sealed class Ed25519KeyTests
{
    private static readonly byte[] s_seed = Enumerable.Repeat((byte)0x01, 32).ToArray();

    [Fact]
    public void Verify_DefaultKey_ReturnsFalse()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed);
        var sig = key.Sign("m"u8);
        Assert.False(default(Ed25519PublicKey).Verify("m"u8, sig));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    public void Verify_SignatureOfWrongLength_ReturnsFalse(int length)
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed);
        var sig = key.Sign("m"u8);
        var resized = new byte[length];
        sig.AsSpan(0, Math.Min(length, sig.Length)).CopyTo(resized);
        Assert.False(key.PublicKey.Verify("m"u8, resized));
    }

    [Fact]
    public void Verify_OtherKeysSignature_ReturnsFalse()
    {
        using var a = Ed25519SecretKey.FromSeed(s_seed);
        using var b = Ed25519SecretKey.FromSeed(Enumerable.Repeat((byte)0x02, 32).ToArray());
        Assert.False(b.PublicKey.Verify("m"u8, a.Sign("m"u8)));
    }

    [Fact]
    public void Sign_AfterDispose_Throws()
    {
        var key = Ed25519SecretKey.FromSeed(s_seed);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign("m"u8));
    }

    [Fact]
    public void ExportSeed_AfterDispose_Throws()
    {
        var key = Ed25519SecretKey.FromSeed(s_seed, allowSeedExport: true);
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.ExportSeed(new byte[32]));
    }

    [Fact]
    public void ExportSeed_KeyFromSeedByDefault_IsRefused()
    {
        // A key that only signs (every key read from a key file) never lets its seed out of guarded memory.
        using var key = Ed25519SecretKey.FromSeed(s_seed);
        var seed = new byte[32];
        Assert.Throws<InvalidOperationException>(() => key.ExportSeed(seed));
        Assert.All(seed, b => Assert.Equal(0, b));
    }

    [Fact]
    public void ExportSeed_GeneratedKeyByDefault_IsRefused()
    {
        using var key = Ed25519SecretKey.Generate();
        Assert.Throws<InvalidOperationException>(() => key.ExportSeed(new byte[32]));
    }

    [Fact]
    public void ExportSeed_ExportableKey_GivesTheSeedOnceOnly()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed, allowSeedExport: true);
        var seed = new byte[32];
        key.ExportSeed(seed);
        Assert.Equal(s_seed, seed);
        Assert.Throws<InvalidOperationException>(() => key.ExportSeed(new byte[32]));
    }

    [Fact]
    public void ExportSeed_ExportableGeneratedKey_GivesASeedThatRebuildsTheKey()
    {
        using var key = Ed25519SecretKey.Generate(allowSeedExport: true);
        var seed = new byte[32];
        key.ExportSeed(seed);
        using var rebuilt = Ed25519SecretKey.FromSeed(seed);
        Assert.Equal(key.PublicKey, rebuilt.PublicKey);
        Assert.Equal(key.Sign("m"u8), rebuilt.Sign("m"u8));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void ExportSeed_WrongBufferLength_Throws(int length)
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed, allowSeedExport: true);
        Assert.Throws<ArgumentException>(() => key.ExportSeed(new byte[length]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    public void Sign_WrongSignatureBufferLength_Throws(int length)
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed);
        Assert.Throws<ArgumentException>(() => key.Sign("m"u8, new byte[length]));
    }

    [Fact]
    public void Sign_FromManyThreadsAtOnce_GivesTheSameDeterministicSignature()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed);
        var expected = key.Sign("m"u8);
        var signatures = new byte[64][];
        Parallel.For(0, signatures.Length, i => signatures[i] = key.Sign("m"u8));
        Assert.All(signatures, s => Assert.Equal(expected, s));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(64)]
    public void FromSeed_WrongLength_Throws(int length) =>
        Assert.Throws<ArgumentException>(() => Ed25519SecretKey.FromSeed(new byte[length]));

    [Fact]
    public void Generate_TwoKeys_DifferAndSignVerifiably()
    {
        using var a = Ed25519SecretKey.Generate();
        using var b = Ed25519SecretKey.Generate();
        Assert.NotEqual(a.PublicKey, b.PublicKey);
        Assert.True(a.PublicKey.Verify("m"u8, a.Sign("m"u8)));
    }

    [Fact]
    public void TryParseBase64_RoundTrip_GivesEqualKey()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed);
        Assert.True(Ed25519PublicKey.TryParseBase64(key.PublicKey.ToBase64(), out var parsed));
        Assert.Equal(key.PublicKey, parsed);
        Assert.True(parsed == key.PublicKey);
        Assert.Equal(key.PublicKey.GetHashCode(), parsed.GetHashCode());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void PublicKey_WrongLength_Throws(int length) =>
        Assert.Throws<ArgumentException>(() => new Ed25519PublicKey(new byte[length]));

    [Fact]
    public void PublicKey_FromBytes_EqualsTheSecretKeysPublicHalfAndVerifiesItsSignature()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed);
        var copy = new Ed25519PublicKey(key.PublicKey.Bytes);
        Assert.Equal(key.PublicKey, copy);
        Assert.True(copy.Verify("m"u8, key.Sign("m"u8)));
        Assert.False(copy.Verify("n"u8, key.Sign("m"u8)));
    }

    [Fact]
    public void PublicKey_NotAPointOnTheCurve_IsAcceptedAsBytesButVerifiesNothing()
    {
        // y = 2 has no x on edwards25519: the value can be built (and compared), and Verify says false, not throws.
        var bytes = new byte[32];
        bytes[0] = 2;
        var key = new Ed25519PublicKey(bytes);
        Assert.Equal(bytes, key.Bytes.ToArray());
        Assert.False(key.Verify("m"u8, new byte[64]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryParseBase64_NotA32ByteKey_ReturnsFalse(string? text) =>
        Assert.False(Ed25519PublicKey.TryParseBase64(text, out _));
}
