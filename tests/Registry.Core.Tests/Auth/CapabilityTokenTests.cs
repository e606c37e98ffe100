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

    [Fact]
    public void Check_SameTokenAgain_StillRefusedOnceExpiredOrItsKeyRetired()
    {
        // The keyring remembers a verified tag per token text; time and key windows must still be checked every call.
        var keyring = new CapabilityKeyring([new CapabilityRootKey("k1", s_rootKey, 0, Now + 30)], []);
        var token = CapabilityToken.Mint("k1", s_rootKey, "t2", ["registry:commit"], Now + 60);
        Assert.Equal(CapabilityFailure.None, keyring.Check(token, "registry:commit", Now, out _));
        Assert.Equal(CapabilityFailure.None, keyring.Check(token, "registry:commit", Now + 1, out _));
        Assert.Equal(CapabilityFailure.MissingScope, keyring.Check(token, "registry:admin", Now + 1, out _));
        Assert.Equal(CapabilityFailure.Invalid, keyring.Check(token, "registry:commit", Now + 30, out _));

        var longKey = new CapabilityKeyring([new CapabilityRootKey("k1", s_rootKey, 0, null)], []);
        Assert.Equal(CapabilityFailure.None, longKey.Check(token, "registry:commit", Now, out _));
        Assert.Equal(CapabilityFailure.Invalid, longKey.Check(token, "registry:commit", Now + 60, out _));
    }

    [Fact]
    public void Check_TamperedCopyOfAVerifiedToken_IsInvalid()
    {
        var token = CapabilityToken.Mint("k1", s_rootKey, "t3", ["registry:commit"], Now + 60);
        Assert.Equal(CapabilityFailure.None, s_keyring.Check(token, "registry:commit", Now, out _));
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        Assert.Equal(CapabilityFailure.Invalid, s_keyring.Check(tampered, "registry:commit", Now, out _));
        var revoked = new CapabilityKeyring([new CapabilityRootKey("k1", s_rootKey, 0, null)], ["t3"]);
        Assert.Equal(CapabilityFailure.Invalid, revoked.Check(token, "registry:commit", Now, out _));
    }

    /// <summary>A token whose identifier is <paramref name="identifier"/> byte for byte, with a valid MAC under the root key.</summary>
    private static string Forge(string identifier)
    {
        var bytes = Encoding.UTF8.GetBytes(identifier);
        return CapabilityToken.Prefix + Base64Url.EncodeToString(bytes) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(s_rootKey, bytes));
    }
}
