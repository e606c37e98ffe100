using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary><c>{"descriptor":{...},"op":"put"}</c>: create or replace a descriptor.</summary>
public sealed record PutChange(Descriptor Descriptor) : Change
{
    /// <inheritdoc />
    public override string Op => "put";

    /// <inheritdoc />
    public override string? WrittenId => Descriptor.Id;

    internal static new PutChange FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "put change", "op", "descriptor");
        return new PutChange(Descriptor.FromJson(fields.Required("descriptor", JsonValueKind.Object)));
    }

    /// <inheritdoc />
    public override void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WritePropertyName("descriptor");
        Descriptor.WriteTo(writer);
        writer.WriteString("op", Op);
        writer.WriteEndObject();
    }
}
