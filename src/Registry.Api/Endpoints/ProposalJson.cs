using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.Endpoints;

/// <summary>The JSON documents of the proposal endpoints.</summary>
internal static class ProposalJson
{
    /// <summary><c>{"expires_at","proposal","proposal_id","state_root"}</c> (202 from propose).</summary>
    public static byte[] Accepted(Proposal proposal, Digest stateRoot)
    {
        var writer = new CanonicalJsonWriter(proposal.CanonicalBytes.Length + 256);
        writer.WriteStartObject();
        writer.WriteString("expires_at", proposal.ExpiresAt.ToString());
        writer.WritePropertyName("proposal");
        proposal.WriteTo(writer);
        writer.WriteString("proposal_id", proposal.Id.ToString());
        writer.WriteString("state_root", stateRoot.ToString());
        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary>A full proposal view: approvals, quorum, status (and version once committed).</summary>
    public static void WriteView(CanonicalJsonWriter writer, RegistryState state, PendingProposal pending, ProposalStatus status, long? version)
    {
        writer.WriteStartObject();
        WriteApprovals(writer, pending);
        writer.WriteString("expires_at", pending.Proposal.ExpiresAt.ToString());
        writer.WritePropertyName("proposal");
        pending.Proposal.WriteTo(writer);
        writer.WriteString("proposal_id", pending.Id.ToString());
        WriteQuorum(writer, state, pending);
        if (status == ProposalStatus.Stale && state.ConflictOf(pending.Proposal) is { } conflict)
        {
            WriteStale(writer, conflict);
        }

        writer.WriteString("state_root", pending.StateRoot.ToString());
        writer.WriteString("status", status.ToString().ToLowerInvariant());
        if (version is { } v)
        {
            writer.WriteInteger("version", v);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The view of a proposal dropped after its retention:
    /// <c>{"dropped":{"at","because","version"},"proposal_id","status":"dropped"}</c>.
    /// </summary>
    public static void WriteDropped(CanonicalJsonWriter writer, DroppedProposal dropped)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("dropped");
        writer.WriteStartObject();
        writer.WriteString("at", dropped.DroppedAt.ToString());
        writer.WriteString("because", dropped.Because.ToString().ToLowerInvariant());
        writer.WriteInteger("version", dropped.Version);
        writer.WriteEndObject();
        writer.WriteString("proposal_id", dropped.Id.ToString());
        writer.WriteString("status", "dropped");
        writer.WriteEndObject();
    }

    /// <summary><c>{"approvals","proposal_id","quorum","status"}</c> (200 from approve).</summary>
    public static byte[] ApprovalResult(RegistryState state, PendingProposal pending, ProposalStatus status)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        WriteApprovals(writer, pending);
        writer.WriteString("proposal_id", pending.Id.ToString());
        WriteQuorum(writer, state, pending);
        writer.WriteString("status", status.ToString().ToLowerInvariant());
        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary><c>{"committed_at","hash","version"}</c> (201 from commit).</summary>
    public static byte[] Committed(CommitRecord record)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("committed_at", record.CommittedAt.ToString());
        writer.WriteString("hash", record.Hash.ToString());
        writer.WriteInteger("version", record.Version);
        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary><c>"stale":{"code","detail","id"?,"version"}</c>: why a stale proposal can no longer commit.</summary>
    private static void WriteStale(CanonicalJsonWriter writer, ProposalConflict conflict)
    {
        writer.WritePropertyName("stale");
        writer.WriteStartObject();
        writer.WriteString("code", conflict.Code.ToString());
        writer.WriteString("detail", conflict.Detail);
        if (conflict.Id is { } id)
        {
            writer.WriteString("id", id);
        }

        writer.WriteInteger("version", conflict.Version);
        writer.WriteEndObject();
    }

    private static void WriteApprovals(CanonicalJsonWriter writer, PendingProposal pending)
    {
        writer.WritePropertyName("approvals");
        writer.WriteStartArray();
        foreach (var approval in pending.Approvals)
        {
            approval.WriteTo(writer);
        }

        writer.WriteEndArray();
    }

    private static void WriteQuorum(CanonicalJsonWriter writer, RegistryState state, PendingProposal pending)
    {
        // The set that must approve is the one in force when the proposal was based (equal to HEAD's while open).
        var quorum = Quorum.Count(state.SignerSet, pending.NewSignerSet, pending.Approvals);
        writer.WritePropertyName("quorum");
        writer.WriteStartObject();
        writer.WriteInteger("have", quorum.Have);
        writer.WriteInteger("m", quorum.Need);
        writer.WriteInteger("n", state.SignerSet.Signers.Length);
        if (pending.NewSignerSet is { } next)
        {
            writer.WriteInteger("new_have", quorum.NewHave);
            writer.WriteInteger("new_m", next.Threshold);
            writer.WriteInteger("new_n", next.Signers.Length);
        }

        writer.WriteEndObject();
    }
}
