using System.Collections.Immutable;
using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary>
/// One commit as followers see it: the <c>data</c> of an SSE <c>event: commit</c>, or the same fields taken
/// from a commit record read through <c>/registry/log</c> while catching up. Immutable.
/// </summary>
/// <param name="Version">The version.</param>
/// <param name="Hash">hash(version).</param>
/// <param name="PrevHash">hash(version - 1): links it to the commit before.</param>
/// <param name="ProposalId">The committed proposal.</param>
/// <param name="CommittedAt">When.</param>
/// <param name="Changes">What changed.</param>
public sealed record CommitEvent(long Version, Digest Hash, Digest PrevHash, Digest ProposalId, Timestamp CommittedAt, ImmutableArray<Change> Changes)
{
    /// <summary>The event of a commit record.</summary>
    public static CommitEvent FromRecord(CommitRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new CommitEvent(record.Version, record.Hash, record.PrevHash, record.ProposalId, record.CommittedAt, record.Proposal.Changes);
    }

    internal static CommitEvent FromJson(JsonElement e) => new(
        Wire.Long(e, "version"),
        Wire.Digest(e, "hash"),
        Wire.Digest(e, "prev_hash"),
        Wire.Digest(e, "proposal_id"),
        Wire.Timestamp(e, "committed_at"),
        Wire.Member(e, "changes").EnumerateArray().Select(Change.FromJson).ToImmutableArray());
}
