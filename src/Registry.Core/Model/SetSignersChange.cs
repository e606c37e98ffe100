using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// <c>{"op":"set_signers","signer_set":{...}}</c>: replace the signer set. Needs the threshold of the
/// current set AND of the new set; the new version must be the current version plus one.
/// </summary>
public sealed record SetSignersChange(SignerSet SignerSet) : Change
{
    /// <inheritdoc />
    public override string Op => "set_signers";

    internal static new SetSignersChange FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "set_signers change", "op", "signer_set");
        return new SetSignersChange(SignerSet.FromJson(fields.Required("signer_set", JsonValueKind.Object)));
    }

    /// <inheritdoc />
    public override void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("op", Op);
        writer.WritePropertyName("signer_set");
        SignerSet.WriteTo(writer);
        writer.WriteEndObject();
    }
}
