using System.Text;
using Registry.Core.Crypto;

namespace Registry.Core.Tests.Crypto;

/// <summary>The signer key file format (<c>ronctl keygen</c>'s): written from an exportable key, read into a sign-only one.</summary>
public sealed class SignerKeyDocumentTests
{
    private static readonly byte[] s_seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void SerializeThenParse_ExportableKey_GivesTheSameSignerAndKey()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed, allowSeedExport: true);
        var json = SignerKeyDocument.Serialize("alice", key);

        var (id, parsed) = SignerKeyDocument.Parse(json);
        using (parsed)
        {
            Assert.Equal("alice", id);
            Assert.Equal(key.PublicKey, parsed.PublicKey);
            Assert.Equal(key.Sign("m"u8), parsed.Sign("m"u8));
        }
    }

    [Fact]
    public void Serialize_ExportableKey_WritesTheCanonicalKeyFile()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed, allowSeedExport: true);
        var text = Encoding.UTF8.GetString(SignerKeyDocument.Serialize("alice", key));
        Assert.Equal(
            $$"""{"algo":"ed25519","id":"alice","public_key":"{{key.PublicKey.ToBase64()}}","seed":"{{Convert.ToBase64String(s_seed)}}"}""",
            text);
    }

    [Fact]
    public void Serialize_SignOnlyKey_IsRefused()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed);
        Assert.Throws<InvalidOperationException>(() => SignerKeyDocument.Serialize("alice", key));
    }

    [Fact]
    public void Parse_KeyFromAFile_CannotBeExportedAgain()
    {
        using var key = Ed25519SecretKey.FromSeed(s_seed, allowSeedExport: true);
        var (_, parsed) = SignerKeyDocument.Parse(SignerKeyDocument.Serialize("alice", key));
        using (parsed)
        {
            Assert.Throws<InvalidOperationException>(() => parsed.ExportSeed(new byte[32]));
        }
    }

    [Fact]
    public void Parse_PublicKeyNotMatchingTheSeed_IsMalformed()
    {
        using var other = Ed25519SecretKey.FromSeed(new byte[32]);
        var json = $$"""{"algo":"ed25519","id":"alice","public_key":"{{other.PublicKey.ToBase64()}}","seed":"{{Convert.ToBase64String(s_seed)}}"}""";
        var error = Assert.Throws<RegistryFormatException>(() => SignerKeyDocument.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("does not match the seed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DevKey_IsExportableOnce_AndStable()
    {
        using var a = SignerKeyDocument.DevKey(1);
        using var b = SignerKeyDocument.DevKey(1);
        Assert.Equal(a.PublicKey, b.PublicKey);
        _ = SignerKeyDocument.Serialize("dev-signer-1", a);
        Assert.Throws<InvalidOperationException>(() => SignerKeyDocument.Serialize("dev-signer-1", a));
    }
}
