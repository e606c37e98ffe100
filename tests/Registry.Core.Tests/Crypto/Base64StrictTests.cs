using Registry.Core.Crypto;

namespace Registry.Core.Tests.Crypto;

public sealed class Base64StrictTests
{
    [Theory]
    [InlineData("", new byte[0])]
    [InlineData("AA==", new byte[] { 0 })]
    [InlineData("AAE=", new byte[] { 0, 1 })]
    [InlineData("+/8=", new byte[] { 0xfb, 0xff })]
    public void TryDecode_CanonicalStandardBase64_Decodes(string text, byte[] expected)
    {
        Assert.True(Base64Strict.TryDecode(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("AA")] // no padding
    [InlineData("AB==")] // non-zero padding bits: not the canonical spelling of 0x00
    [InlineData("AAF=")] // ditto for two bytes
    [InlineData("-_8=")] // URL alphabet
    [InlineData("AA ==")] // whitespace
    [InlineData("AA==\n")]
    [InlineData("A===")]
    [InlineData("====")]
    [InlineData("AA=A")]
    public void TryDecode_NonCanonicalOrInvalid_ReturnsFalse(string text) =>
        Assert.False(Base64Strict.TryDecode(text, out _));
}
