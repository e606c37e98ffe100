using Registry.Core.Crypto;
using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Crypto;

/// <summary>
/// Which encodings may stand as a signer's key (issue 14: an all-zero, identity or other small-order key was accepted
/// in a set_signers change). The eight 8-torsion points are listed as in libsodium's <c>has_small_order</c> blocklist
/// (ed25519_ref10.c), each with and without the sign bit; the order-8 values were checked independently
/// (8·P = identity, P ≠ identity) with a pure-Python RFC 8032 implementation while writing this test.
/// </summary>
public sealed class Ed25519PointCheckTests
{
    private const string P = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";

    public static TheoryData<string> SmallOrder() =>
    [
        "0000000000000000000000000000000000000000000000000000000000000000", // order 4 (y = 0)
        "0000000000000000000000000000000000000000000000000000000000000080", // order 4, other x
        "0100000000000000000000000000000000000000000000000000000000000000", // identity
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2 (y = p - 1)
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
    ];

    public static TheoryData<string> NotCanonicalOrNotOnCurve() =>
    [
        P, // y = p (= 0)
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1 (= 1)
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", // y = 2^255 - 1, sign set
        "0100000000000000000000000000000000000000000000000000000000000080", // identity with the sign bit: x = 0 cannot be negative
        "0200000000000000000000000000000000000000000000000000000000000000", // y = 2: no x on the curve
        "0700000000000000000000000000000000000000000000000000000000000000", // y = 7: no x on the curve
    ];

    [Theory]
    [MemberData(nameof(SmallOrder))]
    public void Problem_SmallOrderPoint_NamesSmallOrder(string hex) =>
        Assert.Contains("small-order", Ed25519PointCheck.Problem(Convert.FromHexString(hex)), StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(NotCanonicalOrNotOnCurve))]
    public void Problem_NonCanonicalOrOffCurve_IsRefused(string hex) =>
        Assert.False(Ed25519PointCheck.IsUsable(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("5866666666666666666666666666666666666666666666666666666666666666")] // the base point B
    [InlineData("da99e28ba529cdde35a25fba9059e78ecaee239f99755b9b1aa4f65df00803e2")] // B + an order-8 point: mixed order, not small
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")] // RFC 8032 §7.1 test 1
    public void Problem_LargeOrderPoint_IsNull(string hex) =>
        Assert.Null(Ed25519PointCheck.Problem(Convert.FromHexString(hex)));

    [Fact]
    public void IsUsable_GeneratedKeys_AreAllUsable()
    {
        for (var n = 1; n <= 50; n++)
        {
            Assert.True(Ed25519PointCheck.IsUsable(TestKeys.Key((byte)n).PublicKey.Bytes), $"key {n}");
        }
    }

    [Theory]
    [MemberData(nameof(SmallOrder))]
    public void SignerSetCreate_SmallOrderKey_IsInvalidDescriptor(string hex)
    {
        var signers = new[] { TestKeys.Signer("good", 1), new Signer("bad", new Ed25519PublicKey(Convert.FromHexString(hex))) };
        var error = Assert.Throws<RegistryFormatException>(() => SignerSet.Create(2, 1, signers));
        Assert.Equal(RegistryErrorCode.InvalidDescriptor, error.Code);
        Assert.Contains("'bad'", error.Message, StringComparison.Ordinal);
    }
}
