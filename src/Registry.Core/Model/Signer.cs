using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>One approver: <c>{"algo":"ed25519","id":"...","public_key":"base64"}</c>. Immutable.</summary>
public sealed record Signer(string Id, Ed25519PublicKey PublicKey)
{
    /// <summary>Reads a signer object.</summary>
    public static Signer FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "signer", "id", "algo", "public_key");
        fields.RequireAlgo();
        var id = fields.Id("id");
        var key = fields.Base64("public_key");
        if (key.Length != 32)
        {
            throw RegistryFormatException.Malformed($"Signer '{id}': public_key must be 32 bytes, not {key.Length}.");
        }

        return new Signer(id, new Ed25519PublicKey(key));
    }

    /// <summary>Writes the canonical form.</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("algo", "ed25519");
        writer.WriteString("id", Id);
        writer.WriteString("public_key", PublicKey.ToBase64());
        writer.WriteEndObject();
    }
}
