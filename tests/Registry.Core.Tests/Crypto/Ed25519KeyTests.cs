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
    [InlineData(null)]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void TryParseBase64_NotA32ByteKey_ReturnsFalse(string? text) =>
        Assert.False(Ed25519PublicKey.TryParseBase64(text, out _));
}
