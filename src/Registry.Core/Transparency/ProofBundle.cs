// The proof bundle of one descriptor (docs/PROTOCOL.md section 12.8): everything a client needs to trust it from the
// log key alone, with no replay of the chain. JSON (canonical, keys in order):
//   {"checkpoint": "<signed note text>",
//    "consistency": null | {"from": m, "proof": ["sha256:…", …]},
//    "descriptor": {…},
//    "log_proof": ["sha256:…", …],        inclusion of leaf record.version in the checkpoint's tree
//    "record": {…commit record…},          its hash is leaf record.version's entry; its state_root anchors…
//    "state_proof": {"key","siblings"}}    …the descriptor's state-tree proof
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Transparency;

/// <summary>A descriptor with its state proof, commit record, log inclusion proof and signed checkpoint. Immutable; thread-safe.</summary>
/// <param name="Checkpoint">The signed checkpoint note, as served.</param>
/// <param name="ConsistencyFrom">The tree size the consistency proof starts from, or null when none was asked for.</param>
/// <param name="ConsistencyProof">The RFC 6962 consistency proof from <paramref name="ConsistencyFrom"/> to the checkpoint's size.</param>
/// <param name="Descriptor">The descriptor.</param>
/// <param name="LogProof">The RFC 6962 inclusion proof of leaf <c>Record.Version</c> in the checkpoint's tree.</param>
/// <param name="Record">The commit record whose <c>state_root</c> the state proof is under.</param>
/// <param name="StateProof">The descriptor's inclusion proof in the state tree.</param>
public sealed record ProofBundle(
    string Checkpoint,
    long? ConsistencyFrom,
    ImmutableArray<Digest> ConsistencyProof,
    Descriptor Descriptor,
    ImmutableArray<Digest> LogProof,
    CommitRecord Record,
    InclusionProof StateProof)
{
    /// <summary>Writes the canonical JSON form.</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("checkpoint", Checkpoint);
        writer.WritePropertyName("consistency");
        if (ConsistencyFrom is { } from)
        {
            writer.WriteStartObject();
            writer.WriteInteger("from", from);
            WriteDigests(writer, "proof", ConsistencyProof);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull();
        }

        writer.WritePropertyName("descriptor");
        Descriptor.WriteTo(writer);
        WriteDigests(writer, "log_proof", LogProof);
        writer.WritePropertyName("record");
        Record.WriteTo(writer);
        writer.WritePropertyName("state_proof");
        StateProof.WriteTo(writer);
        writer.WriteEndObject();
    }

    /// <summary>Reads a bundle from its exact canonical bytes (UTF-8 JSON, as <see cref="ToJson"/> writes it).</summary>
    /// <exception cref="FormatException">Not a proof bundle, or not in canonical form.</exception>
    public static ProofBundle Parse(ReadOnlyMemory<byte> utf8)
    {
        using var document = CanonicalJson.Parse(utf8);
        var fields = new JsonFields(document.RootElement, "proof bundle", "checkpoint", "consistency", "descriptor", "log_proof", "record", "state_proof");
        long? from = null;
        ImmutableArray<Digest> consistency = [];
        if (!document.RootElement.TryGetProperty("consistency", out var consistencyElement))
        {
            throw RegistryFormatException.Malformed("proof bundle is missing 'consistency'.");
        }

        if (consistencyElement.ValueKind != JsonValueKind.Null)
        {
            var inner = new JsonFields(consistencyElement, "proof bundle consistency", "from", "proof");
            from = inner.Integer("from", 0, long.MaxValue);
            consistency = Digests(inner.Required("proof", JsonValueKind.Array));
        }

        var bundle = new ProofBundle(
            fields.String("checkpoint"),
            from,
            consistency,
            Descriptor.FromJson(fields.Required("descriptor", JsonValueKind.Object)),
            Digests(fields.Required("log_proof", JsonValueKind.Array)),
            CommitRecord.FromJson(fields.Required("record", JsonValueKind.Object)),
            InclusionProof.FromJson(fields.Required("state_proof", JsonValueKind.Object)));

        // Exact bytes only, as for stored records: another spelling of the same content (a lowercase 't' in a time)
        // is refused, so the bytes a client checked are the bytes it was sent.
        return bundle.ToJson().AsSpan().SequenceEqual(utf8.Span)
            ? bundle
            : throw RegistryFormatException.Malformed("The proof bundle is not in its canonical form.");
    }

    /// <summary>The canonical JSON bytes.</summary>
    public byte[] ToJson()
    {
        var writer = new CanonicalJsonWriter();
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => Encoding.UTF8.GetString(ToJson());

    private static void WriteDigests(CanonicalJsonWriter writer, string name, ImmutableArray<Digest> digests)
    {
        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var digest in digests)
        {
            writer.WriteString(digest.ToString());
        }

        writer.WriteEndArray();
    }

    private static ImmutableArray<Digest> Digests(JsonElement array)
    {
        if (array.GetArrayLength() > MerkleProof.MaxLength)
        {
            throw RegistryFormatException.Malformed($"A log proof has at most {MerkleProof.MaxLength} hashes.");
        }

        return [.. array.EnumerateArray().Select(e => Digest.TryParse(e.ValueKind == JsonValueKind.String ? e.GetString() : null, out var d)
            ? d
            : throw RegistryFormatException.Malformed("Log proof hashes must be sha256 digests."))];
    }
}
