using Registry.Core.Crypto;

namespace Registry.Core.Tests.Crypto;

/// <summary>
/// What docs/PROTOCOL.md §1 promises beyond Wycheproof's file (whose keys are all valid, full-order points): a public
/// key of small order, or one encoded non-canonically, verifies nothing, even with the signature that a verifier
/// without those checks accepts for every message (R = identity, S = 0 under the identity key: [0]B = R + [k]A).
/// libsodium's verifier, which NSec calls, rejects both.
/// </summary>
public sealed class Ed25519StrictnessTests
{
    // The identity point (0, 1): order 1.
    private static readonly byte[] s_identity = [0x01, .. new byte[31]];

    // y = p - 1 = 2^255 - 20 with x = 0: the point (0, -1), order 2.
    private static readonly byte[] s_orderTwo = [0xec, .. Enumerable.Repeat((byte)0xff, 30), 0x7f];

    // y = p + 1 (does not reduce below p): a non-canonical spelling of the identity.
    private static readonly byte[] s_nonCanonicalIdentity = [0xee, .. Enumerable.Repeat((byte)0xff, 30), 0x7f];

    public static TheoryData<string, byte[]> WeakKeys() => new()
    {
        { "identity (order 1)", s_identity },
        { "(0, -1) (order 2)", s_orderTwo },
        { "identity spelled with y = p + 1", s_nonCanonicalIdentity },
    };

    [Theory]
    [MemberData(nameof(WeakKeys))]
    public void Verify_WeakPublicKey_RejectsTheAnyMessageSignature(string what, byte[] publicKey)
    {
        var key = new Ed25519PublicKey(publicKey);
        byte[] signature = [.. s_identity, .. new byte[32]];

        Assert.False(key.Verify("m"u8, signature), what);
        Assert.False(key.Verify([], signature), what);
    }

    [Fact]
    public void Verify_SignatureWithSPlusL_IsRejected()
    {
        // S + L is the same scalar mod L, so an unchecked verifier accepts it: the malleability Wycheproof's
        // SignatureMalleability cases probe, shown here on a fresh signature.
        using var secret = Ed25519SecretKey.FromSeed(new byte[32]);
        var signature = secret.Sign("m"u8);
        Assert.True(secret.PublicKey.Verify("m"u8, signature));

        var malleated = (byte[])signature.Clone();
        AddL(malleated.AsSpan(32));
        Assert.False(secret.PublicKey.Verify("m"u8, malleated));
    }

    // Adds the group order L = 2^252 + 27742317777372353535851937790883648493 to a little-endian 32-byte scalar
    // (S < L < 2^253, so S + L < 2^254 fits).
    private static void AddL(Span<byte> scalar)
    {
        byte[] order =
        [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
        ];
        var carry = 0;
        for (var i = 0; i < 32; i++)
        {
            var sum = scalar[i] + order[i] + carry;
            scalar[i] = (byte)sum;
            carry = sum >> 8;
        }
    }
}
