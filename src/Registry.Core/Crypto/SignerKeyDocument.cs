using System.Security.Cryptography;
using System.Text.Json;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Core.Crypto;

/// <summary>
/// A signer's key file (written 0600 by <c>ronctl keygen</c>):
/// <c>{"algo":"ed25519","id":"…","public_key":"base64","seed":"base64"}</c>. The seed is the RFC 8032 private key.
/// </summary>
public static class SignerKeyDocument
{
    /// <summary>Serialises a key (the caller writes it with owner-only permissions and zeroes the buffer when done).</summary>
    /// <remarks>
    /// Uses the key's one seed export, so <paramref name="key"/> must come from <see cref="Ed25519SecretKey.Generate"/> or
    /// <see cref="Ed25519SecretKey.FromSeed"/> with <c>allowSeedExport: true</c> (as <see cref="DevKey"/> does).
    /// </remarks>
    public static byte[] Serialize(string signerId, Ed25519SecretKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> seed = stackalloc byte[Ed25519SecretKey.SeedSize];
        try
        {
            key.ExportSeed(seed);
            var writer = new CanonicalJsonWriter();
            writer.WriteStartObject();
            writer.WriteString("algo", "ed25519");
            writer.WriteString("id", signerId);
            writer.WriteString("public_key", key.PublicKey.ToBase64());
            writer.WriteString("seed", Convert.ToBase64String(seed));
            writer.WriteEndObject();
            return writer.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Reads a key file; checks that the public key matches the seed. The key it returns signs but cannot be exported.</summary>
    public static (string SignerId, Ed25519SecretKey Key) Parse(ReadOnlyMemory<byte> json)
    {
        using var document = CanonicalJson.Parse(json);
        var fields = new JsonFields(document.RootElement, "signer key file", "algo", "id", "public_key", "seed");
        fields.RequireAlgo();
        var id = fields.Id("id");
        var seed = fields.Base64("seed");
        try
        {
            var key = Ed25519SecretKey.FromSeed(seed);
            if (key.PublicKey.ToBase64() != fields.String("public_key"))
            {
                key.Dispose();
                throw RegistryFormatException.Malformed($"Key file for '{id}': public_key does not match the seed.");
            }

            return (id, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// The development signer key <paramref name="n"/> (1-based): seed = SHA-256("svc-registry dev signer n"). Never for
    /// production. Its seed is public anyway, so the key allows its one export (dev mode writes it as a key file).
    /// </summary>
    public static Ed25519SecretKey DevKey(int n) =>
        Ed25519SecretKey.FromSeed(Digest.Compute(System.Text.Encoding.UTF8.GetBytes($"svc-registry dev signer {n}")).Bytes, allowSeedExport: true);
}
