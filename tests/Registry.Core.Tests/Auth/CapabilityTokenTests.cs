using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Registry.Core.Auth;

namespace Registry.Core.Tests.Auth;

/// <summary>
/// Capability tokens are accepted only as minted: the identifier must be the exact canonical JSON of the four known
/// members, even when its MAC verifies (issue 14: a token carrying <c>"admin": true</c> was accepted).
/// </summary>
public sealed class CapabilityTokenTests
{
    private const long Now = 1_800_000_000;
    private static readonly byte[] s_rootKey = RandomNumberGenerator.GetBytes(32);
    private static readonly CapabilityKeyring s_keyring = new([new CapabilityRootKey("k1", s_rootKey, 0, null)], []);

    [Fact]
    public void Check_MintedToken_IsAccepted()
    {
        var token = CapabilityToken.Mint("k1", s_rootKey, "t1", ["registry:propose", "registry:admin"], Now + 60);
        Assert.Equal(CapabilityFailure.None, s_keyring.Check(token, "registry:admin", Now, out var parsed));
        Assert.Equal(["registry:admin", "registry:propose"], parsed!.Scopes.ToArray());
    }

    [Theory]
    [InlineData("""{"admin":true,"exp":1800000060,"id":"t1","kid":"k1","scopes":["registry:propose"]}""")]
    [InlineData("""{"exp":1800000060,"id":"t1","kid":"k1","scopes":["registry:propose"],"zz":null}""")]
    [InlineData("""{"exp":1800000060, "id":"t1","kid":"k1","scopes":["registry:propose"]}""")]
    [InlineData("""{"id":"t1","exp":1800000060,"kid":"k1","scopes":["registry:propose"]}""")]
    [InlineData("""{"exp":1800000060,"id":"t1","kid":"k1","scopes":["registry:propose","registry:commit"]}""")]
    [InlineData("""{"exp":1800000060,"id":"t1","kid":"k1","scopes":["registry:propose","registry:propose"]}""")]
    [InlineData("""{"exp":1.80000006e9,"id":"t1","kid":"k1","scopes":["registry:propose"]}""")]
    [InlineData("""{"exp":1800000060,"id":"t\u0031","kid":"k1","scopes":["registry:propose"]}""")]
    [InlineData("""{"exp":1800000060,"id":"t1","kid":"k1","scopes":["registry:propose"]} """)]
    [InlineData("""{"exp":1800000060,"id":"t1","kid":"k1","scopes":[1]}""")]
    [InlineData("""{"exp":1800000060,"id":"t1","kid":"k1"}""")]
    [InlineData("""[1800000060,"t1","k1",["registry:propose"]]""")]
    public void Check_ValidMacOverNonCanonicalOrExtendedIdentifier_IsInvalid(string identifier)
    {
        var token = Forge(identifier);
        Assert.Equal(CapabilityFailure.Invalid, s_keyring.Check(token, "registry:propose", Now, out _));
        Assert.False(CapabilityToken.TryParse(token, out _));
    }

    [Fact]
    public void Forge_CanonicalIdentifier_MatchesMint()
    {
        // The forging helper itself is sound: over the exact minted bytes it yields the minted token.
        var minted = CapabilityToken.Mint("k1", s_rootKey, "t1", ["registry:propose"], Now + 60);
        Assert.Equal(minted, Forge("""{"exp":1800000060,"id":"t1","kid":"k1","scopes":["registry:propose"]}"""));
        Assert.Equal(CapabilityFailure.None, s_keyring.Check(minted, "registry:propose", Now, out _));
    }

    /// <summary>A token whose identifier is <paramref name="identifier"/> byte for byte, with a valid MAC under the root key.</summary>
    private static string Forge(string identifier)
    {
        var bytes = Encoding.UTF8.GetBytes(identifier);
        return CapabilityToken.Prefix + Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(s_rootKey, bytes));
    }
}
