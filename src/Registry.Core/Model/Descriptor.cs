using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// A node, service or region descriptor: <c>{"attrs":{...},"id":"...","kind":"..."}</c>.
/// </summary>
/// <remarks>
/// Immutable and thread-safe. Attributes are held as canonical JSON bytes; the canonical bytes of the
/// whole descriptor and their digest are computed once, on construction, because the state tree and
/// every snapshot need them.
/// </remarks>
public sealed partial class Descriptor
{
    /// <summary>Largest canonical size of <c>attrs</c>: 16 KiB.</summary>
    public const int MaxAttrsBytes = 16 * 1024;

    /// <summary>
    /// Deepest nesting of <c>attrs</c>, counting the attrs object itself as 1. Documents embed descriptors up
    /// to 7 levels down (an event holds a commit record, which holds the proposal, its changes, a change, the
    /// descriptor); this cap keeps every such document, and API responses that wrap them, within
    /// <see cref="CanonicalJson.MaxDepth"/>, so whatever is accepted can always be read back.
    /// </summary>
    public const int MaxAttrsDepth = 16;

    private readonly byte[] _attrs;
    private readonly byte[] _canonical;
    private Digest _treeKey;
    private volatile bool _hasTreeKey;

    private Descriptor(DescriptorKind kind, string id, byte[] canonicalAttrs, string? region)
    {
        Kind = kind;
        Id = id;
        _attrs = canonicalAttrs;
        Region = region;
        var writer = new CanonicalJsonWriter(canonicalAttrs.Length + id.Length + 40);
        writer.WriteStartObject();
        writer.WritePropertyName("attrs");
        writer.WriteCanonical(canonicalAttrs);
        writer.WriteString("id", id);
        writer.WriteString("kind", KindName(kind));
        writer.WriteEndObject();
        _canonical = writer.ToArray();
        Hash = Digest.Compute(_canonical);
    }

    /// <summary>The kind.</summary>
    public DescriptorKind Kind { get; }

    /// <summary>The registry-wide unique id.</summary>
    public string Id { get; }

    /// <summary>The region id this descriptor references (<c>attrs.region</c>), or null.</summary>
    public string? Region { get; }

    /// <summary>The canonical bytes of <c>attrs</c>.</summary>
    public ReadOnlySpan<byte> Attrs => _attrs;

    /// <summary>The canonical bytes of the whole descriptor.</summary>
    public ReadOnlySpan<byte> CanonicalBytes => _canonical;

    /// <summary>SHA-256 of <see cref="CanonicalBytes"/>: the value hashed into the state tree's leaf.</summary>
    public Digest Hash { get; }

    /// <summary>
    /// The state tree key, SHA-256 of the UTF-8 id (see <see cref="State.StateTree.KeyOf"/>), computed on first
    /// use and kept: a descriptor is looked up and inserted by it several times per change.
    /// </summary>
    internal Digest TreeKey
    {
        get
        {
            if (!_hasTreeKey)
            {
                _treeKey = State.StateTree.KeyOf(Id);
                _hasTreeKey = true;
            }

            return _treeKey;
        }
    }

    /// <summary>The wire name of a kind.</summary>
    public static string KindName(DescriptorKind kind) => kind switch
    {
        DescriptorKind.Node => "node",
        DescriptorKind.Service => "service",
        _ => "region",
    };

    /// <summary>Reads and validates a descriptor object.</summary>
    /// <exception cref="RegistryFormatException">Malformed JSON shape or an invalid descriptor.</exception>
    public static Descriptor FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "descriptor", "kind", "id", "attrs");
        var kind = fields.String("kind") switch
        {
            "node" => DescriptorKind.Node,
            "service" => DescriptorKind.Service,
            "region" => DescriptorKind.Region,
            var other => throw RegistryFormatException.Invalid($"Unknown descriptor kind '{other}': expected node, service or region."),
        };
        var id = fields.String("id");
        if (!RegistryIds.IsValid(id))
        {
            throw RegistryFormatException.Malformed($"Descriptor id '{id}' must be 1-128 characters of [a-z0-9:._/-].");
        }

        var attrs = fields.Required("attrs", JsonValueKind.Object);
        if (ExceedsDepth(attrs, MaxAttrsDepth))
        {
            throw RegistryFormatException.Invalid($"Descriptor '{id}': attrs nest deeper than {MaxAttrsDepth} levels.");
        }

        var region = ValidateAttrs(kind, id, attrs);
        var canonicalAttrs = CanonicalJson.Canonicalize(attrs);
        if (canonicalAttrs.Length > MaxAttrsBytes)
        {
            throw RegistryFormatException.Invalid($"Descriptor '{id}': canonical attrs are {canonicalAttrs.Length} bytes, over the {MaxAttrsBytes}-byte cap.");
        }

        return new Descriptor(kind, id, canonicalAttrs, region);
    }

    /// <summary>
    /// Reads a descriptor from its canonical bytes (logs, checkpoints, signed chains). The bytes must be exactly
    /// canonical: any other spelling of the same document is refused, so the bytes read are the bytes hashed.
    /// </summary>
    /// <exception cref="FormatException">Not a valid descriptor, or not in canonical form (<see cref="RegistryErrorCode.Malformed"/>).</exception>
    public static Descriptor FromCanonicalBytes(ReadOnlyMemory<byte> canonical) =>
        CanonicalRead.Exact(canonical, FromJson, static v => v.CanonicalBytes, "descriptor");

    /// <summary>
    /// Rebuilds a descriptor from parts that were validated when first accepted (checkpoint loading).
    /// Skips re-validation; the loader checks the rebuilt state root against the signed chain.
    /// </summary>
    internal static Descriptor FromTrustedParts(DescriptorKind kind, string id, byte[] canonicalAttrs, string? region) =>
        new(kind, id, canonicalAttrs, region);

    /// <summary>
    /// The region id that canonical attrs of a descriptor of <paramref name="kind"/> reference (the top-level
    /// <c>region</c> string of a node or service), or null. For checking stored copies against the attrs.
    /// </summary>
    internal static string? ReferencedRegion(DescriptorKind kind, ReadOnlySpan<byte> canonicalAttrs)
    {
        if (kind == DescriptorKind.Region)
        {
            return null;
        }

        var reader = new Utf8JsonReader(canonicalAttrs);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isRegion = reader.ValueTextEquals("region"u8);
            _ = reader.Read();
            if (isRegion)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }

    /// <summary>Writes the descriptor's canonical form.</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteCanonical(_canonical);
    }

    /// <inheritdoc />
    public override string ToString() => $"{KindName(Kind)} {Id}";
}
