using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Crypto;

/// <summary>
/// The five Ed25519 vectors of RFC 8032 §7.1 (tests/Registry.Core.Tests/Vectors/ed25519/rfc8032_vectors.json):
/// the public key derives from the seed, the signature is reproduced exactly, and it verifies.
/// </summary>
public sealed class Rfc8032Ed25519Tests
{
    private static readonly Lazy<IReadOnlyDictionary<string, Vector>> s_vectors = new(Load);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in s_vectors.Value.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FromSeed_Rfc8032Vector_DerivesPublicKey(string name)
    {
        var v = s_vectors.Value[name];
        using var key = Ed25519SecretKey.FromSeed(v.Seed);
        Assert.Equal(Hex.Encode(v.PublicKey), Hex.Encode(key.PublicKey.Bytes));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Sign_Rfc8032Vector_ReproducesSignatureExactly(string name)
    {
        var v = s_vectors.Value[name];
        using var key = Ed25519SecretKey.FromSeed(v.Seed);
        Assert.Equal(Hex.Encode(v.Signature), Hex.Encode(key.Sign(v.Message)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Verify_Rfc8032Vector_AcceptsSignatureAndRejectsFlippedMessage(string name)
    {
        var v = s_vectors.Value[name];
        var key = new Ed25519PublicKey(v.PublicKey);
        Assert.True(key.Verify(v.Message, v.Signature));

        var other = v.Message.Length == 0 ? [0x00] : (byte[])v.Message.Clone();
        if (v.Message.Length > 0)
        {
            other[0] ^= 0x01;
        }

        Assert.False(key.Verify(other, v.Signature));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ExportSeed_Rfc8032Vector_ReturnsTheSeed(string name)
    {
        var v = s_vectors.Value[name];
        using var key = Ed25519SecretKey.FromSeed(v.Seed, allowSeedExport: true);
        var seed = new byte[32];
        key.ExportSeed(seed);
        Assert.Equal(v.Seed, seed);
    }

    [Fact]
    public void Load_Rfc8032File_HoldsTheFiveSection71Vectors() =>
        Assert.Equal(["TEST 1", "TEST 1024", "TEST 2", "TEST 3", "TEST SHA(abc)"], s_vectors.Value.Keys.Order(StringComparer.Ordinal));

    private static IReadOnlyDictionary<string, Vector> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Vectors.PathOf("ed25519", "rfc8032_vectors.json")));
        var vectors = new Dictionary<string, Vector>(StringComparer.Ordinal);
        foreach (var e in document.RootElement.EnumerateArray())
        {
            var v = new Vector(
                e.GetProperty("name").GetString()!,
                Hex.Decode(e.GetProperty("secret_key_hex").GetString()!),
                Hex.Decode(e.GetProperty("public_key_hex").GetString()!),
                Hex.Decode(e.GetProperty("message_hex").GetString()!),
                Hex.Decode(e.GetProperty("signature_hex").GetString()!));
            vectors.Add(v.Name, v);
        }

        return vectors;
    }

    private sealed record Vector(string Name, byte[] Seed, byte[] PublicKey, byte[] Message, byte[] Signature);
}
