// Event log entry format: one canonical JSON object per event (RFC 8785, the registry's profile).
//   {"accepted_at":"…","proposal":{…},"state_root":"sha256:…","type":"proposal_accepted"}
//   {"approval":{…},"proposal_id":"sha256:…","type":"approval_accepted"}
//   {"record":{…commit record…},"type":"committed"}
// The store adds framing and checksums around these bytes; see docs/STORAGE.md.
using System.Text.Json;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Core.Machine;

/// <summary>Encodes and decodes events for the log. Stateless; thread-safe.</summary>
public static class EventCodec
{
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
                var p = new JsonFields(root, "proposal_accepted event", "type", "accepted_at", "proposal", "state_root");
                return new ProposalAccepted(Proposal.FromJson(p.Required("proposal", JsonValueKind.Object)), p.Digest("state_root"), p.Timestamp("accepted_at"));
            case "approval_accepted":
                var a = new JsonFields(root, "approval_accepted event", "type", "approval", "proposal_id");
                return new ApprovalAccepted(a.Digest("proposal_id"), Approval.FromJson(a.Required("approval", JsonValueKind.Object)));
            case "committed":
                var c = new JsonFields(root, "committed event", "type", "record");
                return new Committed(CommitRecord.FromJson(c.Required("record", JsonValueKind.Object)));
            default:
                throw RegistryFormatException.Malformed($"Unknown event type '{type.GetString()}'.");
        }
    }
}
