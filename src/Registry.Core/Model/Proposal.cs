using System.Collections.Immutable;
using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// What approvers sign: <c>{"base_hash","base_version","changes","expires_at","note","registry"}</c>.
/// <see cref="Id"/> (the <c>proposal_id</c>) is the digest of the canonical document.
/// </summary>
/// <remarks>
/// Immutable; thread-safe. All six members are always present in the canonical document: a request that
/// omits <c>note</c> gets <c>""</c>, one that omits <c>registry</c> or <c>expires_at</c> gets the server's
/// values (see <see cref="ProposalDefaults"/>), so the id a client computes from the returned document is the id.
/// Omitting is the only way to ask for a default: a member present as <c>null</c> is Malformed.
/// </remarks>
public sealed class Proposal
{
    /// <summary>Most changes in one proposal.</summary>
    public const int MaxChanges = 4096;

    /// <summary>Longest note, in UTF-16 code units.</summary>
    public const int MaxNoteLength = 1024;

    private readonly byte[] _canonical;

    /// <summary>Creates a proposal and computes its canonical bytes and id.</summary>
    public Proposal(string registry, long baseVersion, Digest baseHash, ImmutableArray<Change> changes, Timestamp expiresAt, string note)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(note);
        ArgumentOutOfRangeException.ThrowIfNegative(baseVersion);
        Registry = registry;
        BaseVersion = baseVersion;
        BaseHash = baseHash;
        Changes = changes;
        ExpiresAt = expiresAt;
        Note = note;
        var writer = new CanonicalJsonWriter(1024);
        WriteCore(writer);
        _canonical = writer.ToArray();
        Id = Digest.Compute(_canonical);
    }

    /// <summary>The deployment's registry id (signatures cannot be replayed on another registry).</summary>
    public string Registry { get; }

    /// <summary>The HEAD version the proposal was built on (compare-and-swap).</summary>
    public long BaseVersion { get; }

    /// <summary>The HEAD hash the proposal was built on.</summary>
    public Digest BaseHash { get; }

    /// <summary>The ordered changes.</summary>
    public ImmutableArray<Change> Changes { get; }

    /// <summary>After this instant the proposal can no longer be approved or committed.</summary>
    public Timestamp ExpiresAt { get; }

    /// <summary>Free text for the humans who approve.</summary>
    public string Note { get; }

    /// <summary>The canonical document bytes.</summary>
    public ReadOnlySpan<byte> CanonicalBytes => _canonical;

    /// <summary>The <c>proposal_id</c>: digest of <see cref="CanonicalBytes"/>.</summary>
    public Digest Id { get; }

    /// <summary>Reads a proposal document; <paramref name="defaults"/> fills omitted server-side members (null: all required).</summary>
    public static Proposal FromJson(JsonElement element, ProposalDefaults? defaults = null)
    {
        var fields = new JsonFields(element, "proposal", "registry", "base_version", "base_hash", "changes", "expires_at", "note");
        var registry = defaults is not null && !fields.Has("registry") ? defaults.Registry : fields.Id("registry");
        var expiresAt = defaults is not null && !fields.Has("expires_at") ? defaults.ExpiresAt : fields.Timestamp("expires_at");
        var note = defaults is not null && !fields.Has("note") ? string.Empty : fields.String("note");
        if (note.Length > MaxNoteLength)
        {
            throw RegistryFormatException.Malformed($"'note' is longer than {MaxNoteLength} characters.");
        }

        var changesElement = fields.Required("changes", JsonValueKind.Array);
        var count = changesElement.GetArrayLength();
        if (count is 0 or > MaxChanges)
        {
            throw RegistryFormatException.Malformed($"'changes' must hold 1 to {MaxChanges} changes, not {count}.");
        }

        var changes = changesElement.EnumerateArray().Select(Change.FromJson).ToImmutableArray();
        return new Proposal(registry, fields.Integer("base_version", 0, CanonicalJson.MaxSafeInteger), fields.Digest("base_hash"), changes, expiresAt, note);
    }

    /// <summary>
    /// Reads a proposal from its canonical bytes (logs, checkpoints, signed chains). The bytes must be exactly
    /// canonical: any other spelling of the same document is refused, so the bytes read are the bytes hashed.
    /// </summary>
    /// <exception cref="FormatException">Not a valid proposal, or not in canonical form (<see cref="RegistryErrorCode.Malformed"/>).</exception>
    public static Proposal FromCanonicalBytes(ReadOnlyMemory<byte> canonical) =>
        CanonicalRead.Exact(canonical, static e => FromJson(e), static v => v.CanonicalBytes, "proposal");

    /// <summary>Writes the canonical form.</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteCanonical(_canonical);
    }

    private void WriteCore(CanonicalJsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("base_hash", BaseHash.ToString());
        writer.WriteInteger("base_version", BaseVersion);
        writer.WritePropertyName("changes");
        writer.WriteStartArray();
        foreach (var change in Changes)
        {
            change.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("expires_at", ExpiresAt.ToString());
        writer.WriteString("note", Note);
        writer.WriteString("registry", Registry);
        writer.WriteEndObject();
    }
}
