// Which 32-byte strings may stand as a signer's Ed25519 public key (RFC 8032 §5.1.2-5.1.3).
//
// A key is refused unless it is the canonical encoding of a point on the curve that is not of small order:
//   1. canonical: the y coordinate (the low 255 bits, little-endian) is below p = 2^255 - 19, and a
//      point with x = 0 does not carry the sign bit;
//   2. on the curve: RFC 8032 §5.1.3's decoding finds x with x^2 = (y^2 - 1) / (d y^2 + 1);
//   3. not small-order: the eight points of the 8-torsion subgroup (identity, the order-2 point, the
//      two order-4 and four order-8 points) are exactly the points whose y is 1, p - 1, 0, or one of
//      the two order-8 values below (the same list libsodium's has_small_order() blocks), so the check
//      compares y against those five values after decoding.
// A small-order key can never produce a signature that verifies under a strict verifier (libsodium,
// NSec), so such a signer could never approve, and a set holding one silently needs one more real signer
// than it appears to. Decoding uses System.Numerics.BigInteger: this runs only when a signer set is
// read or built, never per approval, so clarity wins over speed and no package is needed.
using System.Numerics;

namespace Registry.Core.Crypto;

/// <summary>
/// Validates the encoding of an Ed25519 public key: canonical, on the curve, and not of small order.
/// </summary>
/// <remarks>Stateless; thread-safe.</remarks>
public static class Ed25519PointCheck
{
    private static readonly BigInteger s_p = BigInteger.Pow(2, 255) - 19;

    // d = -121665 / 121666 mod p (RFC 8032 §5.1).
    private static readonly BigInteger s_d = Mod(-121665 * BigInteger.ModPow(121666, s_p - 2, s_p));

    // sqrt(-1) mod p = 2^((p-1)/4).
    private static readonly BigInteger s_sqrtMinusOne = BigInteger.ModPow(2, (s_p - 1) / 4, s_p);

    // y of two of the order-8 points (little-endian); the other two have p - y.
    private static readonly BigInteger s_order8Y = new(
        [0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
         0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05],
        isUnsigned: true,
        isBigEndian: false);

    /// <summary>Why a key is refused, or null when it is usable.</summary>
    /// <param name="encoded">The 32-byte encoded point.</param>
    public static string? Problem(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != 32)
        {
            return $"an Ed25519 public key is 32 bytes, not {encoded.Length}";
        }

        Span<byte> yBytes = stackalloc byte[32];
        encoded.CopyTo(yBytes);
        var sign = (yBytes[31] & 0x80) != 0;
        yBytes[31] &= 0x7f;
        var y = new BigInteger(yBytes, isUnsigned: true, isBigEndian: false);
        return y >= s_p ? "the key is not a canonical encoding (y >= 2^255 - 19)"
            : !HasX(y, sign) ? "the key is not a point on the Ed25519 curve"
            : IsTorsionY(y) ? "the key is a small-order point (it can never sign)"
            : null;
    }

    /// <summary>True when <paramref name="encoded"/> is a canonical, on-curve point of large order.</summary>
    public static bool IsUsable(ReadOnlySpan<byte> encoded) => Problem(encoded) is null;

    // RFC 8032 §5.1.3 steps 2-4: recover x from y, or fail.
    private static bool HasX(BigInteger y, bool sign)
    {
        var u = Mod((y * y) - 1);
        var v = Mod((s_d * y * y) + 1);
        var v3 = Mod(v * v * v);
        var x = Mod(u * v3 * BigInteger.ModPow(Mod(u * v3 * v3 * v), (s_p - 5) / 8, s_p));
        var vx2 = Mod(v * x * x);
        if (vx2 != u)
        {
            if (vx2 != Mod(-u))
            {
                return false;
            }

            x = Mod(x * s_sqrtMinusOne);
        }

        return !(x.IsZero && sign);
    }

    private static bool IsTorsionY(BigInteger y) =>
        y.IsZero || y.IsOne || y == s_p - 1 || y == s_order8Y || y == s_p - s_order8Y;

    private static BigInteger Mod(BigInteger value)
    {
        var r = BigInteger.Remainder(value, s_p);
        return r.Sign < 0 ? r + s_p : r;
    }
}
