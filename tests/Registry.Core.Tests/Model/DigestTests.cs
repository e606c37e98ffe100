using Registry.Core.Model;

namespace Registry.Core.Tests.Model;

public sealed class DigestTests
{
    [Fact]
    public void Compute_Abc_IsTheFips180Value() =>
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Digest.Compute("abc"u8).ToString());

    [Fact]
    public void TryParse_Text_RoundTrips()
    {
        var d = Digest.Compute("x"u8);
        Assert.True(Digest.TryParse(d.ToString(), out var back));
        Assert.Equal(d, back);
        Assert.Equal(d, Digest.Parse(d.ToString()));
        Assert.Equal(d.GetHashCode(), back.GetHashCode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("SHA256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha512:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015add")]
    [InlineData("sha256:ga7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData(" sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public void TryParse_NotLowercaseSha256Text_ReturnsFalse(string? text)
    {
        Assert.False(Digest.TryParse(text, out _));
        if (text is not null)
        {
            Assert.Throws<FormatException>(() => Digest.Parse(text));
        }
    }

    [Fact]
    public void Bit_Index_CountsFromMostSignificantBitOfByteZero()
    {
        var bytes = new byte[32];
        bytes[0] = 0b1000_0001;
        bytes[31] = 0b0000_0001;
        var d = new Digest(bytes);
        Assert.Equal(1, d.Bit(0));
        Assert.Equal(0, d.Bit(1));
        Assert.Equal(1, d.Bit(7));
        Assert.Equal(0, d.Bit(8));
        Assert.Equal(1, d.Bit(255));
        Assert.Equal(0, d.Bit(254));
    }

    [Fact]
    public void Zero_IsAllZeroBytes() => Assert.Equal("sha256:" + new string('0', 64), Digest.Zero.ToString());

    [Fact]
    public void CompareTo_Digests_OrdersByBytes()
    {
        var low = new Digest(new byte[32]);
        var highBytes = new byte[32];
        highBytes[0] = 1;
        var high = new Digest(highBytes);
        Assert.True(low < high);
        Assert.True(high > low);
        Assert.True(low <= new Digest(new byte[32]));
        Assert.False(high <= low);
        Assert.True(low != high);
    }

    [Fact]
    public void Constructor_WrongLength_Throws() => Assert.Throws<ArgumentException>(() => new Digest(new byte[31]));
}
