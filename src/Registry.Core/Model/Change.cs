using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>One change in a proposal: put, delete, set_signers or set_log_key. Immutable.</summary>
public abstract record Change
{
    /// <summary>The wire <c>op</c>.</summary>
    public abstract string Op { get; }

    /// <summary>The descriptor id this change writes (put, delete), or null (set_signers, set_log_key): what a commit records as that id's last writer.</summary>
    public virtual string? WrittenId => null;

    /// <summary>Writes the canonical form.</summary>
    public abstract void WriteTo(CanonicalJsonWriter writer);

    /// <summary>Reads a change object.</summary>
    public static Change FromJson(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
        {
            throw RegistryFormatException.Malformed("A change must be an object with a string 'op'.");
        }

        return CanonicalJson.GetString(op) switch
        {
            "put" => PutChange.FromJson(element),
            "delete" => DeleteChange.FromJson(element),
            "set_signers" => SetSignersChange.FromJson(element),
            "set_log_key" => SetLogKeyChange.FromJson(element),
            var other => throw RegistryFormatException.Malformed($"Unknown change op '{other}': expected put, delete, set_signers or set_log_key."),
        };
    }
}
