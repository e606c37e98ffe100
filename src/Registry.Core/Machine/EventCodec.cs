// Event log entry format: one canonical JSON object per event (RFC 8785, the registry's profile).
//   {"accepted_at":"…","proposal":{…},"proposed_by":"<token id>","state_root":"sha256:…","type":"proposal_accepted"}
//     (proposed_by: the proposing capability token's id; absent in events written before it was recorded)
//   {"approval":{…},"proposal_id":"sha256:…","type":"approval_accepted"}
//   {"record":{…commit record…},"type":"committed"}
//   {"dropped":[{"because":"expired"|"stale","proposal_id":"sha256:…"},…],"dropped_at":"…","type":"proposals_dropped"}
// The store adds framing and checksums around these bytes; see docs/STORAGE.md.
using System.Text.Json;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Core.Machine;

/// <summary>Encodes and decodes events for the log. Stateless; thread-safe.</summary>
public static class EventCodec
{
    /// <summary>
    /// The canonical bytes of a <c>committed</c> event for a record already in canonical form, without decoding it: the
    /// same bytes <see cref="Encode"/> gives for <c>new Committed(CommitRecord.FromCanonicalBytes(record))</c> (the
    /// record's members sort before <c>type</c>).
    /// </summary>
    public static byte[] EncodeCommitted(ReadOnlySpan<byte> canonicalRecord)
    {
        ReadOnlySpan<byte> head = "{\"record\":"u8;
        ReadOnlySpan<byte> tail = ",\"type\":\"committed\"}"u8;
        var bytes = new byte[head.Length + canonicalRecord.Length + tail.Length];
        head.CopyTo(bytes);
        canonicalRecord.CopyTo(bytes.AsSpan(head.Length));
        tail.CopyTo(bytes.AsSpan(head.Length + canonicalRecord.Length));
        return bytes;
    }

    /// <summary>The event's canonical bytes.</summary>
    public static byte[] Encode(RegistryEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var writer = new CanonicalJsonWriter(512);
        writer.WriteStartObject();
        switch (@event)
        {
            case ProposalAccepted accepted:
                writer.WriteString("accepted_at", accepted.AcceptedAt.ToString());
                writer.WritePropertyName("proposal");
                accepted.Proposal.WriteTo(writer);
                if (accepted.ProposedBy is { } proposedBy)
                {
                    writer.WriteString("proposed_by", proposedBy);
                }

                writer.WriteString("state_root", accepted.StateRoot.ToString());
                writer.WriteString("type", "proposal_accepted");
                break;
            case ApprovalAccepted approval:
                writer.WritePropertyName("approval");
                approval.Approval.WriteTo(writer);
                writer.WriteString("proposal_id", approval.ProposalId.ToString());
                writer.WriteString("type", "approval_accepted");
                break;
            case Committed committed:
                writer.WritePropertyName("record");
                committed.Record.WriteTo(writer);
                writer.WriteString("type", "committed");
                break;
            case ProposalsDropped dropped:
                writer.WritePropertyName("dropped");
                writer.WriteStartArray();
                foreach (var (id, because) in dropped.Dropped)
                {
                    writer.WriteStartObject();
                    writer.WriteString("because", because.ToString().ToLowerInvariant());
                    writer.WriteString("proposal_id", id.ToString());
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteString("dropped_at", dropped.DroppedAt.ToString());
                writer.WriteString("type", "proposals_dropped");
                break;
            default:
                throw new ArgumentException($"Unknown event {@event.GetType().Name}.", nameof(@event));
        }

        writer.WriteEndObject();
        return writer.ToArray();
    }

    /// <summary>Decodes an event. The bytes must be exactly what <see cref="Encode"/> writes for it.</summary>
    /// <exception cref="FormatException">
    /// The bytes are not an event, or not its canonical encoding (<see cref="CanonicalJsonException"/> or
    /// <see cref="RegistryFormatException"/>).
    /// </exception>
    public static RegistryEvent Decode(ReadOnlyMemory<byte> bytes)
    {
        var @event = DecodeCore(bytes);
        return Encode(@event).AsSpan().SequenceEqual(bytes.Span)
            ? @event
            : throw RegistryFormatException.Malformed("The event is valid JSON but not in canonical form.");
    }

    private static RegistryEvent DecodeCore(ReadOnlyMemory<byte> bytes)
    {
        using var document = CanonicalJson.Parse(bytes);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw RegistryFormatException.Malformed("An event must be an object with a string 'type'.");
        }

        switch (type.GetString())
        {
            case "proposal_accepted":
                var p = new JsonFields(root, "proposal_accepted event", "type", "accepted_at", "proposal", "proposed_by", "state_root");
                return new ProposalAccepted(
                    Proposal.FromJson(p.Required("proposal", JsonValueKind.Object)),
                    p.Digest("state_root"),
                    p.Timestamp("accepted_at"),
                    p.Has("proposed_by") ? p.String("proposed_by") : null);
            case "approval_accepted":
                var a = new JsonFields(root, "approval_accepted event", "type", "approval", "proposal_id");
                return new ApprovalAccepted(a.Digest("proposal_id"), Approval.FromJson(a.Required("approval", JsonValueKind.Object)));
            case "committed":
                var c = new JsonFields(root, "committed event", "type", "record");
                return new Committed(CommitRecord.FromJson(c.Required("record", JsonValueKind.Object)));
            case "proposals_dropped":
                var d = new JsonFields(root, "proposals_dropped event", "type", "dropped", "dropped_at");
                var list = System.Collections.Immutable.ImmutableArray.CreateBuilder<(Digest, Registry.Core.State.ProposalStatus)>();
                foreach (var item in d.Required("dropped", JsonValueKind.Array).EnumerateArray())
                {
                    var one = new JsonFields(item, "dropped proposal", "because", "proposal_id");
                    var because = one.String("because") switch
                    {
                        "expired" => Registry.Core.State.ProposalStatus.Expired,
                        "stale" => Registry.Core.State.ProposalStatus.Stale,
                        var other => throw RegistryFormatException.Malformed($"A dropped proposal's 'because' must be \"expired\" or \"stale\", not '{other}'."),
                    };
                    list.Add((one.Digest("proposal_id"), because));
                }

                return new ProposalsDropped(list.ToImmutable(), d.Timestamp("dropped_at"));
            default:
                throw RegistryFormatException.Malformed($"Unknown event type '{type.GetString()}'.");
        }
    }
}
