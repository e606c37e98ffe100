using System.Text;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Api.Streaming;

/// <summary>
/// One commit as a complete Server-Sent Events frame, built once and shared by every subscriber:
/// <c>event: commit\nid: &lt;version&gt;\ndata: {changes, committed_at, hash, prev_hash, proposal_id, version}\n\n</c>.
/// The data line is canonical JSON, which never contains a raw newline.
/// </summary>
public sealed record CommitFrame(long Version, byte[] Bytes)
{
    /// <summary>Builds the frame of <paramref name="record"/>.</summary>
    public static CommitFrame From(CommitRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var writer = new CanonicalJsonWriter(record.Proposal.CanonicalBytes.Length + 256);
        writer.WriteStartObject();
        writer.WritePropertyName("changes");
        writer.WriteStartArray();
        foreach (var change in record.Proposal.Changes)
        {
            change.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteString("committed_at", record.CommittedAt.ToString());
        writer.WriteString("hash", record.Hash.ToString());
        writer.WriteString("prev_hash", record.PrevHash.ToString());
        writer.WriteString("proposal_id", record.ProposalId.ToString());
        writer.WriteInteger("version", record.Version);
        writer.WriteEndObject();

        var head = Encoding.ASCII.GetBytes($"event: commit\nid: {record.Version}\ndata: ");
        var data = writer.WrittenSpan;
        var bytes = new byte[head.Length + data.Length + 2];
        head.CopyTo(bytes, 0);
        data.CopyTo(bytes.AsSpan(head.Length));
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return new CommitFrame(record.Version, bytes);
    }
}
