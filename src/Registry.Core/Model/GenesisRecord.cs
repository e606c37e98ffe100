using System.Text.Json;
using Registry.Core.Json;
using Registry.Core.Transparency;

namespace Registry.Core.Model;

/// <summary>
/// Version 0: <c>{["log_key",]"prev_hash":"sha256:0…0","registry","signer_set","state_root":"sha256:0…0","version":0}</c>,
/// built from the trust-roots document <c>{["log_key",]"registry","signer_set"}</c>. Deterministic: the same trust
/// roots give the same genesis hash on every machine.
/// </summary>
/// <remarks>
/// <c>log_key</c> (optional, docs/PROTOCOL.md §12.14) pins the transparency log's first checkpoint key in the chain
/// itself; without it the chain names no log key until its first <c>set_log_key</c> commit, and trust roots written
/// before it existed keep their genesis hash. Immutable; thread-safe.
/// </remarks>
public sealed class GenesisRecord
{
    private readonly byte[] _canonical;

    /// <summary>Creates the genesis record.</summary>
    public GenesisRecord(string registry, SignerSet signerSet)
        : this(registry, signerSet, null)
    {
    }

    /// <summary>Creates the genesis record, with the log key in force at version 0 when <paramref name="logKey"/> is given.</summary>
    /// <exception cref="RegistryFormatException">The registry id is not an id, or the log key is not a type 0x01 vkey named with it.</exception>
    public GenesisRecord(string registry, SignerSet signerSet, NoteVerifierKey? logKey)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(signerSet);
        if (!RegistryIds.IsValid(registry))
        {
            throw RegistryFormatException.Malformed($"Registry id '{registry}' must be 1-128 characters of [a-z0-9:._/-].");
        }

        if (logKey is not null && (logKey.Type != NoteVerifierKey.Ed25519Type || logKey.Name != registry))
        {
            throw RegistryFormatException.Malformed($"The trust roots' log_key '{logKey}' must be an Ed25519 (type 0x01) vkey named with the registry id '{registry}'.");
        }

        Registry = registry;
        SignerSet = signerSet;
        LogKey = logKey;
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        if (logKey is not null)
        {
            writer.WriteString("log_key", logKey.ToString());
        }

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

    /// <summary>The log key the trust roots name (in force from version 0), or null when they name none.</summary>
    public NoteVerifierKey? LogKey { get; }

    /// <summary>The canonical bytes of the genesis record.</summary>
    public ReadOnlySpan<byte> CanonicalBytes => _canonical;

    /// <summary>hash(0).</summary>
    public Digest Hash { get; }

    /// <summary>
    /// Reads a trust-roots document <c>{["log_key":"&lt;vkey&gt;",]"registry":"...","signer_set":{...}}</c>. Its pin (config
    /// <c>trust_roots_digest</c>) is <see cref="TrustRootsDigest"/> of the same bytes.
    /// </summary>
    public static GenesisRecord FromTrustRoots(ReadOnlyMemory<byte> document)
    {
        using var parsed = CanonicalJson.Parse(document);
        var fields = new JsonFields(parsed.RootElement, "trust roots", "log_key", "registry", "signer_set");
        var logKey = fields.Has("log_key") ? SetLogKeyChange.ParseVerifierKey(fields.String("log_key")) : null;
        return new GenesisRecord(fields.Id("registry"), SignerSet.FromJson(fields.Required("signer_set", JsonValueKind.Object)), logKey);
    }

    /// <summary>The digest that pins a trust-roots document: SHA-256 of its canonical form.</summary>
    public static Digest TrustRootsDigest(ReadOnlyMemory<byte> document) => Digest.Compute(CanonicalJson.Canonicalize(document));

    /// <summary>The canonical trust-roots document for this genesis.</summary>
    public byte[] ToTrustRootsDocument()
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        if (LogKey is not null)
        {
            writer.WriteString("log_key", LogKey.ToString());
        }

        writer.WriteString("registry", Registry);
        writer.WritePropertyName("signer_set");
        SignerSet.WriteTo(writer);
        writer.WriteEndObject();
        return writer.ToArray();
    }
}
