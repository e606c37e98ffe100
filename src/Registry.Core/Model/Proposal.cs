using System.Collections.Immutable;
using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// What approvers sign (protocol v2): <c>{"base_hash","base_version","changes","expires_at","note","registry","scope",
/// "signer_set_version"}</c>. <see cref="Id"/> (the <c>proposal_id</c>) is the digest of the canonical document.
/// </summary>
/// <remarks>
/// <para>Immutable; thread-safe. All eight members are always present in the canonical document: a request that
/// omits <c>note</c> gets <c>""</c>, one that omits <c>registry</c>, <c>expires_at</c> or <c>signer_set_version</c>
/// gets the server's values (see <see cref="ProposalDefaults"/>), one that omits <c>scope</c> gets
/// <see cref="ScopeOf"/> of its changes, so the id a client computes from the returned document is the id.
/// Omitting is the only way to ask for a default: a member present as <c>null</c> is Malformed.</para>
/// <para><c>scope</c> is sorted (ordinal) and unique; it must hold every id <see cref="ScopeOf"/> names, and may hold
/// more (to pin more context). A proposal with a <c>set_signers</c> change has exactly <c>["*"]</c>, the whole registry.</para>
/// </remarks>
public sealed class Proposal
{
    /// <summary>Most changes in one proposal.</summary>
    public const int MaxChanges = 4096;

    /// <summary>Longest note, in UTF-16 code units.</summary>
    public const int MaxNoteLength = 1024;

    /// <summary>Most ids in a scope (every change names at most two, plus as many again to pin context).</summary>
    public const int MaxScope = 4 * MaxChanges;

    /// <summary>The scope entry that stands for the whole registry.</summary>
    public const string Everything = "*";

    private readonly byte[] _canonical;

    /// <summary>Creates a proposal and computes its canonical bytes and id.</summary>
    /// <param name="registry">The registry id.</param>
    /// <param name="baseVersion">The version the proposal was built on.</param>
    /// <param name="baseHash">The hash of that version.</param>
    /// <param name="signerSetVersion">The signer set whose quorum must approve it.</param>
    /// <param name="scope">The scope, or null for <see cref="ScopeOf"/> of <paramref name="changes"/>.</param>
    /// <param name="changes">The ordered changes.</param>
    /// <param name="expiresAt">The expiry.</param>
    /// <param name="note">Free text.</param>
    /// <exception cref="RegistryFormatException">The scope is not sorted, unique ids (or exactly <c>["*"]</c>).</exception>
    /// <remarks>The constructor checks the scope's shape, not that it covers the changes: see <see cref="MissingFromScope"/>.</remarks>
    public Proposal(string registry, long baseVersion, Digest baseHash, long signerSetVersion, ImmutableArray<string>? scope, ImmutableArray<Change> changes, Timestamp expiresAt, string note)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(note);
        ArgumentOutOfRangeException.ThrowIfNegative(baseVersion);
        ArgumentOutOfRangeException.ThrowIfLessThan(signerSetVersion, 1);
        Registry = registry;
        BaseVersion = baseVersion;
        BaseHash = baseHash;
        SignerSetVersion = signerSetVersion;
        Changes = changes;
        Scope = scope ?? ScopeOf(changes);
        RequireScopeShape(Scope);
        ExpiresAt = expiresAt;
        Note = note;
        var writer = new CanonicalJsonWriter(1024);
        WriteCore(writer);
        _canonical = writer.ToArray();
        Id = Digest.Compute(_canonical);
    }

    /// <summary>The deployment's registry id (signatures cannot be replayed on another registry).</summary>
    public string Registry { get; }

    /// <summary>The HEAD version the proposal was built on; the diff approvers review is against it.</summary>
    public long BaseVersion { get; }

    /// <summary>The HEAD hash the proposal was built on.</summary>
    public Digest BaseHash { get; }

    /// <summary>The version of the signer set whose quorum must approve it.</summary>
    public long SignerSetVersion { get; }

    /// <summary>The ids the proposal depends on, sorted and unique; <c>["*"]</c> for the whole registry.</summary>
    public ImmutableArray<string> Scope { get; }

    /// <summary>True when the scope is <c>["*"]</c>.</summary>
    public bool ScopesEverything => Scope.Length == 1 && Scope[0] == Everything;

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

    /// <summary>
    /// The scope <paramref name="changes"/> need (SPEC §1): every id a change puts or deletes, plus the <c>region</c> each
    /// put node or service references, sorted and unique; <c>["*"]</c> when a change is <c>set_signers</c> or <c>set_log_key</c>.
    /// </summary>
    /// <remarks>
    /// This depends on the changes alone: the descriptors a proposal results in are the ones it puts, and what they
    /// reference is in their own attrs, so the scope computed on the base is the same on any base.
    /// </remarks>
    public static ImmutableArray<string> ScopeOf(ImmutableArray<Change> changes)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            switch (change)
            {
                case PutChange put:
                    ids.Add(put.Descriptor.Id);
                    if (put.Descriptor.Region is { } region)
                    {
                        ids.Add(region);
                    }

                    break;
                case DeleteChange delete:
                    ids.Add(delete.Id);
                    break;
                case SetSignersChange or SetLogKeyChange:
                    return [Everything];
            }
        }

        return [.. ids];
    }

    /// <summary>The first id <see cref="ScopeOf"/> names that <see cref="Scope"/> lacks, or null when it covers them all.</summary>
    public string? MissingFromScope()
    {
        if (ScopesEverything)
        {
            return null;
        }

        foreach (var id in ScopeOf(Changes))
        {
            if (ImmutableArray.BinarySearch(Scope, id, StringComparer.Ordinal) < 0)
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>Reads a proposal document; <paramref name="defaults"/> fills omitted server-side members (null: all but <c>scope</c> required).</summary>
    /// <exception cref="RegistryFormatException">Malformed, or a scope that lacks an id the changes need (<see cref="RegistryErrorCode.Malformed"/>).</exception>
    public static Proposal FromJson(JsonElement element, ProposalDefaults? defaults = null)
    {
        var fields = new JsonFields(element, "proposal", "registry", "base_version", "base_hash", "changes", "expires_at", "note", "scope", "signer_set_version");
        if (defaults is null && !fields.Has("scope") && !fields.Has("signer_set_version"))
        {
            // What a log or chain written before protocol v2 holds: refuse it by name rather than as a missing member.
            throw RegistryFormatException.Malformed(
                "A protocol v1 proposal (no 'scope', no 'signer_set_version'): this build reads protocol v2 documents only (docs/STORAGE.md, \"Protocol v1 data\").");
        }

        var registry = defaults is not null && !fields.Has("registry") ? defaults.Registry : fields.Id("registry");
        var expiresAt = defaults is not null && !fields.Has("expires_at") ? defaults.ExpiresAt : fields.Timestamp("expires_at");
        var note = defaults is not null && !fields.Has("note") ? string.Empty : fields.String("note");
        var signerSetVersion = defaults is not null && !fields.Has("signer_set_version")
            ? defaults.SignerSetVersion
            : fields.Integer("signer_set_version", 1, CanonicalJson.MaxSafeInteger);
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
        ImmutableArray<string>? scope = defaults is not null && !fields.Has("scope") ? null : ReadScope(fields.Required("scope", JsonValueKind.Array));
        var proposal = new Proposal(registry, fields.Integer("base_version", 0, CanonicalJson.MaxSafeInteger), fields.Digest("base_hash"), signerSetVersion, scope, changes, expiresAt, note);
        if (proposal.MissingFromScope() is { } missing)
        {
            throw RegistryFormatException.Malformed($"'scope' lacks '{missing}', which the changes put, delete or reference.");
        }

        return proposal;
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

    private static ImmutableArray<string> ReadScope(JsonElement array)
    {
        var count = array.GetArrayLength();
        if (count is 0 or > MaxScope)
        {
            throw RegistryFormatException.Malformed($"'scope' must hold 1 to {MaxScope} ids, not {count}.");
        }

        var ids = ImmutableArray.CreateBuilder<string>(count);
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw RegistryFormatException.Malformed("'scope' must be an array of id strings.");
            }

            ids.Add(CanonicalJson.GetString(item));
        }

        return ids.MoveToImmutable();
    }

    private static void RequireScopeShape(ImmutableArray<string> scope)
    {
        if (scope.IsDefaultOrEmpty || scope.Length > MaxScope)
        {
            throw RegistryFormatException.Malformed($"'scope' must hold 1 to {MaxScope} ids.");
        }

        if (scope.Length == 1 && scope[0] == Everything)
        {
            return;
        }

        for (var i = 0; i < scope.Length; i++)
        {
            if (!RegistryIds.IsValid(scope[i]))
            {
                throw RegistryFormatException.Malformed($"'scope' entry '{scope[i]}' is not an id (1-128 characters of [a-z0-9:._/-]), and \"*\" must stand alone.");
            }

            if (i > 0 && string.CompareOrdinal(scope[i - 1], scope[i]) >= 0)
            {
                throw RegistryFormatException.Malformed($"'scope' must be sorted and unique: '{scope[i]}' follows '{scope[i - 1]}'.");
            }
        }
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
        writer.WritePropertyName("scope");
        writer.WriteStartArray();
        foreach (var id in Scope)
        {
            writer.WriteString(id);
        }

        writer.WriteEndArray();
        writer.WriteInteger("signer_set_version", SignerSetVersion);
        writer.WriteEndObject();
    }
}
