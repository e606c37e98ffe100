using System.Text;
using System.Text.Json;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Api.Streaming;

/// <summary>
/// One commit as a complete Server-Sent Events frame, built once and shared by every subscriber:
/// <c>event: commit\nid: &lt;version&gt;\ndata: {changes, committed_at, hash, prev_hash, proposal_id, version}\n\n</c>.
/// The data line is canonical JSON, which never contains a raw newline. A <see cref="CheckpointFrame"/> travels the same
/// buffers with <see cref="IsCheckpoint"/> set and <see cref="Version"/> the head version its tree covers.
/// </summary>
public sealed record CommitFrame(long Version, byte[] Bytes)
{
    /// <summary>True for an <c>event: checkpoint</c> frame (it has no <c>id:</c> and never enters the resume ring).</summary>
    public bool IsCheckpoint { get; init; }

    /// <summary>
    /// Builds the same frame straight from a canonical <c>committed</c> event (as the log holds it) without
    /// decoding the proposal: the members are copied as raw canonical JSON and the hash is SHA-256 of the
    /// record's bytes. The bytes come from the verified, checksummed log.
    /// </summary>
    public static CommitFrame FromCommittedEvent(ReadOnlySpan<byte> eventBytes)
    {
        var record = RecordOf(eventBytes);
        var frame = FromRecord(record);
        if (frame is null)
        {
            // The fast slice held more than the record (not what the codec writes): find the member the long way.
            frame = FromRecord(RawMember(eventBytes, "record"u8));
        }

        return frame ?? throw new FormatException("A committed event's record is not one JSON object.");
    }

    // The frame of a raw record, or null when the bytes hold more than one JSON value.
    private static CommitFrame? FromRecord(ReadOnlySpan<byte> record)
    {
        // One pass over the record's members (canonical order), keeping the raw spans the frame needs; inside the
        // proposal only as far as its "changes".
        ReadOnlySpan<byte> changes = default, committedAt = default, prevHash = default, proposalId = default, version = default;
        var reader = new Utf8JsonReader(record);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (name.SequenceEqual("proposal"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                var depth = reader.CurrentDepth;
                while (reader.Read() && reader.CurrentDepth > depth)
                {
                    var inner = reader.ValueTextEquals("changes"u8);
                    reader.Read();
                    var at = (int)reader.TokenStartIndex;
                    reader.Skip();
                    if (inner)
                    {
                        changes = record[at..(int)reader.BytesConsumed];
                    }
                }

                continue;
            }

            reader.Skip();
            var value = record[start..(int)reader.BytesConsumed];
            if (name.SequenceEqual("committed_at"u8))
            {
                committedAt = value;
            }
            else if (name.SequenceEqual("prev_hash"u8))
            {
                prevHash = value;
            }
            else if (name.SequenceEqual("proposal_id"u8))
            {
                proposalId = value;
            }
            else if (name.SequenceEqual("version"u8))
            {
                version = value;
            }
        }

        if (reader.BytesConsumed != record.Length)
        {
            return null;
        }

        if (changes.IsEmpty || committedAt.IsEmpty || prevHash.IsEmpty || proposalId.IsEmpty || version.IsEmpty)
        {
            throw new FormatException("A committed event's record lacks a member the stream needs.");
        }

        var writer = new CanonicalJsonWriter(changes.Length + 512);
        writer.WriteStartObject();
        writer.WritePropertyName("changes");
        writer.WriteCanonical(changes);
        writer.WritePropertyName("committed_at");
        writer.WriteCanonical(committedAt);
        writer.WriteString("hash", Digest.Compute(record).ToString());
        writer.WritePropertyName("prev_hash");
        writer.WriteCanonical(prevHash);
        writer.WritePropertyName("proposal_id");
        writer.WriteCanonical(proposalId);
        writer.WritePropertyName("version");
        writer.WriteCanonical(version);
        writer.WriteEndObject();
        var number = long.Parse(version, provider: System.Globalization.CultureInfo.InvariantCulture);
        return new CommitFrame(number, Frame(number, writer.WrittenSpan));
    }

    // The record of a canonical committed event: {"record":RECORD,"type":"committed"} (members in canonical order,
    // nothing else), so RECORD is the bytes between the two fixed ends; anything else is parsed the long way.
    private static ReadOnlySpan<byte> RecordOf(ReadOnlySpan<byte> eventBytes)
    {
        var head = "{\"record\":"u8;
        var tail = ",\"type\":\"committed\"}"u8;
        return eventBytes.Length > head.Length + tail.Length && eventBytes.StartsWith(head) && eventBytes.EndsWith(tail)
            && eventBytes[head.Length] == (byte)'{' && eventBytes[^(tail.Length + 1)] == (byte)'}'
            ? eventBytes[head.Length..^tail.Length]
            : RawMember(eventBytes, "record"u8);
    }

    // The raw JSON value of a top-level member of a JSON object.
    private static ReadOnlySpan<byte> RawMember(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (match)
            {
                return json[start..(int)reader.BytesConsumed];
            }
        }

        throw new FormatException($"A committed event without '{Encoding.UTF8.GetString(name)}'.");
    }

    private static byte[] Frame(long version, ReadOnlySpan<byte> data)
    {
        var head = Encoding.ASCII.GetBytes($"event: commit\nid: {version}\ndata: ");
        var bytes = new byte[head.Length + data.Length + 2];
        head.CopyTo(bytes, 0);
        data.CopyTo(bytes.AsSpan(head.Length));
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return bytes;
    }

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

        return new CommitFrame(record.Version, Frame(record.Version, writer.WrittenSpan));
    }
}
