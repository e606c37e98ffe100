using System.Collections.Immutable;
using System.Text.Json;
using Registry.Core.Json;

namespace Registry.Core.Model;

/// <summary>
/// Commit record for version v &gt;= 1: <c>{"approvals","committed_at","prev_hash","proposal","proposal_id",
/// "signer_set_version","state_root","version"}</c>. <see cref="Hash"/> = digest of the canonical record,
/// and the next record's <c>prev_hash</c>.
/// </summary>
/// <remarks>
/// Immutable; thread-safe. Approvals are kept sorted by signer id (ordinal), so one commit has one record.
/// <c>signer_set_version</c> is the version of the set whose quorum authorised the commit (the set in force
/// before it).
/// </remarks>
public sealed class CommitRecord
{
    private readonly byte[] _canonical;

    /// <summary>Creates a record and computes its canonical bytes and hash.</summary>
    public CommitRecord(long version, Digest prevHash, Proposal proposal, ImmutableArray<Approval> approvals, long signerSetVersion, Digest stateRoot, Timestamp committedAt)
        : this(version, prevHash, proposal, proposal?.Id ?? default, approvals, signerSetVersion, stateRoot, committedAt)
    {
    }

    private CommitRecord(long version, Digest prevHash, Proposal? proposal, Digest proposalId, ImmutableArray<Approval> approvals, long signerSetVersion, Digest stateRoot, Timestamp committedAt)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        Version = version;
        PrevHash = prevHash;
        Proposal = proposal;
        ProposalId = proposalId;
        Approvals = [.. approvals.OrderBy(a => a.SignerId, StringComparer.Ordinal)];
        SignerSetVersion = signerSetVersion;
        StateRoot = stateRoot;
        CommittedAt = committedAt;
        var writer = new CanonicalJsonWriter(proposal.CanonicalBytes.Length + 512);
        WriteCore(writer);
        _canonical = writer.ToArray();
        Hash = Digest.Compute(_canonical);
    }

    /// <summary>The version this record creates.</summary>
    public long Version { get; }

    /// <summary>Hash of the record at <c>Version - 1</c> (the genesis hash for version 1).</summary>
    public Digest PrevHash { get; }

    /// <summary>The committed proposal document.</summary>
    public Proposal Proposal { get; }

    /// <summary>The <c>proposal_id</c> as written in the record (equal to <c>Proposal.Id</c> in a valid record).</summary>
    public Digest ProposalId { get; }

    /// <summary>The approvals that authorised the commit, sorted by signer id.</summary>
    public ImmutableArray<Approval> Approvals { get; }

    /// <summary>The version of the signer set whose quorum authorised the commit.</summary>
    public long SignerSetVersion { get; }

    /// <summary>The state root after applying the proposal's changes.</summary>
    public Digest StateRoot { get; }

    /// <summary>When the writer committed it.</summary>
    public Timestamp CommittedAt { get; }

    /// <summary>The canonical bytes.</summary>
    public ReadOnlySpan<byte> CanonicalBytes => _canonical;

    /// <summary>Digest of <see cref="CanonicalBytes"/>.</summary>
    public Digest Hash { get; }

    /// <summary>Reads a commit record object exactly as written (a wrong <c>proposal_id</c> is kept, for verifiers to catch).</summary>
    public static CommitRecord FromJson(JsonElement element)
    {
        var fields = new JsonFields(element, "commit record", "approvals", "committed_at", "prev_hash", "proposal", "proposal_id", "signer_set_version", "state_root", "version");
        var approvals = fields.Required("approvals", JsonValueKind.Array).EnumerateArray().Select(Approval.FromJson).ToImmutableArray();
        var proposal = Proposal.FromJson(fields.Required("proposal", JsonValueKind.Object));
        return new CommitRecord(
            fields.Integer("version", 1, CanonicalJson.MaxSafeInteger),
            fields.Digest("prev_hash"),
            proposal,
            fields.Digest("proposal_id"),
            approvals,
            fields.Integer("signer_set_version", 1, CanonicalJson.MaxSafeInteger),
            fields.Digest("state_root"),
            fields.Timestamp("committed_at"));
    }

    /// <summary>
    /// Reads a commit record from its canonical bytes (logs, checkpoints, signed chains). The bytes must be exactly
    /// canonical: any other spelling of the same document is refused, so the bytes read are the bytes hashed.
    /// </summary>
    /// <exception cref="FormatException">Not a valid commit record, or not in canonical form (<see cref="RegistryErrorCode.Malformed"/>).</exception>
    public static CommitRecord FromCanonicalBytes(ReadOnlyMemory<byte> canonical) =>
        CanonicalRead.Exact(canonical, FromJson, static v => v.CanonicalBytes, "commit record");

    /// <summary>Writes the canonical form.</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteCanonical(_canonical);
    }

    private void WriteCore(CanonicalJsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("approvals");
        writer.WriteStartArray();
        foreach (var approval in Approvals)
        {
            approval.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("committed_at", CommittedAt.ToString());
        writer.WriteString("prev_hash", PrevHash.ToString());
        writer.WritePropertyName("proposal");
        Proposal.WriteTo(writer);
        writer.WriteString("proposal_id", ProposalId.ToString());
        writer.WriteInteger("signer_set_version", SignerSetVersion);
        writer.WriteString("state_root", StateRoot.ToString());
        writer.WriteInteger("version", Version);
        writer.WriteEndObject();
    }
}
