using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary><c>{"id":"...","op":"delete"}</c>: remove a descriptor.</summary>
public sealed record DeleteChange(string Id) : Change
{
    /// <inheritdoc />
    public override string Op => "delete";

    /// <inheritdoc />
    public override string? WrittenId => Id;

    internal static new DeleteChange FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "delete change", "op", "id");
        return new DeleteChange(fields.Id("id"));
    }

    /// <inheritdoc />
    public override void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("op", Op);
        writer.WriteEndObject();
    }
}
