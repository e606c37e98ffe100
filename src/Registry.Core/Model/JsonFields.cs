using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// Strict reading of one JSON object into a model type: unknown members are rejected, required ones
/// must be present with the right JSON type. Errors are <see cref="RegistryFormatException"/> naming the
/// member and the document (<c>what</c>).
/// </summary>
internal readonly ref struct JsonFields
{
    private readonly JsonElement _element;
    private readonly string _what;

    public JsonFields(JsonElement element, string what, params ReadOnlySpan<string> allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw RegistryFormatException.Malformed($"{what} must be a JSON object.");
        }

        foreach (var member in element.EnumerateObject())
        {
            if (!IsAllowed(member, allowed))
            {
                throw RegistryFormatException.Malformed($"Unknown field '{member.Name}' in {what}.");
            }
        }

        _element = element;
        _what = what;
    }

    // NameEquals compares without allocating the member's name.
    private static bool IsAllowed(JsonProperty member, ReadOnlySpan<string> allowed)
    {
        foreach (var name in allowed)
        {
            if (member.NameEquals(name))
            {
                return true;
            }
        }

        return false;
    }

    // Present, whatever its value: a member set to null is not absent (SPEC: null is Malformed where a
    // string is expected), so the typed readers below refuse it instead of a default filling it in.
    public bool Has(string name) => _element.TryGetProperty(name, out _);

    public JsonElement Required(string name, JsonValueKind kind)
    {
        if (!_element.TryGetProperty(name, out var value))
        {
            throw RegistryFormatException.Malformed($"{_what} is missing '{name}'.");
        }

        if (value.ValueKind != kind)
        {
            throw RegistryFormatException.Malformed($"'{name}' in {_what} must be a JSON {kind.ToString().ToLowerInvariant()}.");
        }

        return value;
    }

    public string String(string name) => CanonicalJson.GetString(Required(name, JsonValueKind.String));

    public long Integer(string name, long min, long max)
    {
        var value = Required(name, JsonValueKind.Number).GetInt64();
        if (value < min || value > max)
        {
            throw RegistryFormatException.Malformed($"'{name}' in {_what} must be between {min} and {max}.");
        }

        return value;
    }

    public Digest Digest(string name)
    {
        var text = String(name);
        return Model.Digest.TryParse(text, out var digest)
            ? digest
            : throw RegistryFormatException.Malformed($"'{name}' in {_what} must be sha256:<64 lowercase hex>.");
    }

    public Timestamp Timestamp(string name)
    {
        var text = String(name);
        return Model.Timestamp.TryParse(text, out var value)
            ? value
            : throw RegistryFormatException.Malformed($"'{name}' in {_what} must be an RFC 3339 date-time.");
    }

    public string Id(string name)
    {
        var text = String(name);
        return RegistryIds.IsValid(text)
            ? text
            : throw RegistryFormatException.Malformed($"'{name}' in {_what} must be 1-128 characters of [a-z0-9:._/-].");
    }

    public byte[] Base64(string name)
    {
        var text = String(name);
        return Base64Strict.TryDecode(text, out var bytes)
            ? bytes
            : throw RegistryFormatException.Malformed($"'{name}' in {_what} is not canonical standard base64.");
    }

    public void RequireAlgo()
    {
        var algo = String("algo");
        if (algo != "ed25519")
        {
            throw RegistryFormatException.Malformed($"'algo' in {_what} must be \"ed25519\", not \"{algo}\".");
        }
    }
}
