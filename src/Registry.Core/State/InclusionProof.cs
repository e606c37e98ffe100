using System.Collections.Immutable;
using System.Text.Json;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Core.State;

/// <summary>
/// Proof that a descriptor is in the state with a given root: its tree key and the sibling hashes on the
/// path from the root (index 0) down to its leaf. JSON: <c>{"key":"sha256:…","siblings":["sha256:…",…]}</c>.
/// </summary>
/// <remarks>Immutable; thread-safe. See docs/PROTOCOL.md for the verification steps.</remarks>
public sealed record InclusionProof(Digest Key, ImmutableArray<Digest> Siblings)
{
    /// <summary>True when <paramref name="descriptorCanonicalBytes"/> with this proof hashes up to <paramref name="stateRoot"/>.</summary>
    public bool Verify(string id, ReadOnlySpan<byte> descriptorCanonicalBytes, Digest stateRoot)
    {
        if (StateTree.KeyOf(id) != Key || Siblings.Length > 256)
        {
            return false;
        }

        var hash = StateTree.HashLeaf(Key, Digest.Compute(descriptorCanonicalBytes));
        for (var depth = Siblings.Length - 1; depth >= 0; depth--)
        {
            hash = Key.Bit(depth) == 0
                ? StateTree.HashBranch(hash, Siblings[depth])
                : StateTree.HashBranch(Siblings[depth], hash);
        }

        return hash == stateRoot;
    }

    /// <summary>True when <paramref name="descriptor"/> is proven under <paramref name="stateRoot"/>.</summary>
    public bool Verify(Descriptor descriptor, Digest stateRoot)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return Verify(descriptor.Id, descriptor.CanonicalBytes, stateRoot);
    }

    /// <summary>Writes the JSON form.</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("key", Key.ToString());
        writer.WritePropertyName("siblings");
        writer.WriteStartArray();
        foreach (var sibling in Siblings)
        {
            writer.WriteString(sibling.ToString());
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads the JSON form.</summary>
    public static InclusionProof FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "inclusion proof", "key", "siblings");
        var siblings = fields.Required("siblings", JsonValueKind.Array).EnumerateArray()
            .Select(e => Digest.TryParse(e.ValueKind == JsonValueKind.String ? e.GetString() : null, out var d)
                ? d
                : throw RegistryFormatException.Malformed("Inclusion proof siblings must be sha256 digests."))
            .ToImmutableArray();
        return new InclusionProof(fields.Digest("key"), siblings);
    }
}
