using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// Version 0: <c>{"prev_hash":"sha256:0…0","registry","signer_set","state_root":"sha256:0…0","version":0}</c>,
/// built from the trust-roots document <c>{"registry","signer_set"}</c>. Deterministic: the same trust
/// roots give the same genesis hash on every machine.
/// </summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed class GenesisRecord
{
    private readonly byte[] _canonical;

    /// <summary>Creates the genesis record.</summary>
    public GenesisRecord(string registry, SignerSet signerSet)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(signerSet);
        if (!RegistryIds.IsValid(registry))
        {
            throw RegistryFormatException.Malformed($"Registry id '{registry}' must be 1-128 characters of [a-z0-9:._/-].");
        }

        Registry = registry;
        SignerSet = signerSet;
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("prev_hash", Digest.Zero.ToString());
        writer.WriteString("registry", registry);
        writer.WritePropertyName("signer_set");
        signerSet.WriteTo(writer);
        writer.WriteString("state_root", Digest.Zero.ToString());
        writer.WriteInteger("version", 0);
        writer.WriteEndObject();
        _canonical = writer.ToArray();
        Hash = Digest.Compute(_canonical);
    }

    /// <summary>The registry id.</summary>
    public string Registry { get; }

    /// <summary>The genesis signer set.</summary>
    public SignerSet SignerSet { get; }

    /// <summary>The canonical bytes of the genesis record.</summary>
    public ReadOnlySpan<byte> CanonicalBytes => _canonical;

    /// <summary>hash(0).</summary>
    public Digest Hash { get; }

    /// <summary>
    /// Reads a trust-roots document <c>{"registry":"...","signer_set":{...}}</c>. Its pin (config
    /// <c>trust_roots_digest</c>) is <see cref="TrustRootsDigest"/> of the same bytes.
    /// </summary>
    public static GenesisRecord FromTrustRoots(ReadOnlyMemory<byte> document)
    {
        using var parsed = CanonicalJson.Parse(document);
        var fields = new JsonFields(parsed.RootElement, "trust roots", "registry", "signer_set");
        return new GenesisRecord(fields.Id("registry"), SignerSet.FromJson(fields.Required("signer_set", JsonValueKind.Object)));
    }

    /// <summary>The digest that pins a trust-roots document: SHA-256 of its canonical form.</summary>
    public static Digest TrustRootsDigest(ReadOnlyMemory<byte> document) => Digest.Compute(CanonicalJson.Canonicalize(document));

    /// <summary>The canonical trust-roots document for this genesis.</summary>
    public byte[] ToTrustRootsDocument()
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("registry", Registry);
        writer.WritePropertyName("signer_set");
        SignerSet.WriteTo(writer);
        writer.WriteEndObject();
        return writer.ToArray();
    }
}
