// State snapshot payload (the body of a checkpoint file; the store adds its own header and checksum).
// All integers little-endian. Layout, format 4 (protocol v2; formats 2 and 3 are read too, see below; format 1
// was protocol v1 and is refused by name):
//   "RONSTATE" (8 bytes) | u32 format = 4
//   bytes  trust-roots document (canonical JSON)       bytes = u32 length + that many bytes
//   bytes  head commit record (canonical; length 0 at version 0)
//   bytes  signer set in force (canonical)
//   u32 n, then n descriptors:  u8 kind (0 node, 1 service, 2 region) | str id | str region ("" = none) | bytes attrs
//   u32 n, then n open proposals: bytes proposal | 32 state_root | i64 accepted_at (unix ms) | u16 k, k × (str signer_id | bytes sig)
//                                 | u8 1 + str proposed_by (the proposing token id), or u8 0 when not recorded
//   u32 n, then n committed proposal ids: 32 proposal_id | i64 version
//   u32 n, then n dropped proposals, sorted by id: 32 proposal_id | u8 because (3 expired, 2 stale) | i64 dropped_at (unix ms) | i64 version
//   u32 n, then n last writers, sorted by id (ordinal): str id | i64 version that last put or deleted it
//   u32 n = HEAD version + 1, then n × 32: hash(0), hash(1), …, hash(HEAD)
//   bytes  the log key in force (its C2SP vkey text, UTF-8; length 0 when the chain names none)
// Format 3 is format 4 without the log key, which is then the trust roots' (it was written before set_log_key
// existed, so no commit in it rotated the key). Format 2 is format 3 without proposed_by and without the dropped
// list (it was written before either existed).
// str = u16 length + UTF-8. Reading rebuilds the tree and checks its root against the head record's
// state_root, so a snapshot that does not match the signed chain is refused. It also checks what the root
// does not cover: each stored region against its attrs, the signer set against the head (or genesis), the
// head's proposal among the committed ids, kinds, duplicates and time ranges.
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

/// <summary>Serialises a whole <see cref="RegistryState"/> for checkpoints. Stateless; thread-safe.</summary>
public static partial class StateSnapshotCodec
{
    /// <summary>The payload format this code writes.</summary>
    public const uint FormatVersion = 4;

    private static ReadOnlySpan<byte> Magic => "RONSTATE"u8;

    /// <summary>Writes <paramref name="state"/>.</summary>
    public static void Write(RegistryState state, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Magic);
        WriteU32(output, FormatVersion);
        WriteBytes(output, state.Genesis.ToTrustRootsDocument());
        WriteBytes(output, state.Head is null ? [] : state.Head.CanonicalBytes);
        WriteBytes(output, state.SignerSet.ToCanonicalBytes());

        WriteU32(output, (uint)state.Descriptors.Count);
        foreach (var descriptor in state.Descriptors)
        {
            output.GetSpan(1)[0] = (byte)descriptor.Kind;
            output.Advance(1);
            WriteString(output, descriptor.Id);
            WriteString(output, descriptor.Region ?? string.Empty);
            WriteBytes(output, descriptor.Attrs);
        }

        WriteU32(output, (uint)state.Pending.Count);
        foreach (var pending in state.Pending.Values.OrderBy(p => p.Id))
        {
            WriteBytes(output, pending.Proposal.CanonicalBytes);
            output.Write(pending.StateRoot.Bytes);
            WriteI64(output, pending.AcceptedAt.UnixMilliseconds);
            WriteU16(output, (ushort)pending.Approvals.Length);
            foreach (var approval in pending.Approvals)
            {
                WriteString(output, approval.SignerId);
                WriteBytes(output, approval.Signature);
            }

            output.GetSpan(1)[0] = pending.ProposedBy is null ? (byte)0 : (byte)1;
            output.Advance(1);
            if (pending.ProposedBy is { } proposedBy)
            {
                WriteString(output, proposedBy);
            }
        }

        WriteU32(output, (uint)state.CommittedProposals.Count);
        foreach (var (id, version) in state.CommittedProposals.OrderBy(p => p.Value))
        {
            output.Write(id.Bytes);
            WriteI64(output, version);
        }

        WriteU32(output, (uint)state.Dropped.Count);
        foreach (var dropped in state.Dropped.Values.OrderBy(d => d.Id))
        {
            output.Write(dropped.Id.Bytes);
            output.GetSpan(1)[0] = (byte)dropped.Because;
            output.Advance(1);
            WriteI64(output, dropped.DroppedAt.UnixMilliseconds);
            WriteI64(output, dropped.Version);
        }

        WriteU32(output, (uint)state.LastWriters.Count);
        foreach (var (id, version) in state.LastWriters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            WriteString(output, id);
            WriteI64(output, version);
        }

        WriteU32(output, checked((uint)state.Hashes.Count));
        foreach (var hash in state.Hashes.All())
        {
            output.Write(hash.Bytes);
        }

        WriteBytes(output, state.LogKey is null ? [] : Encoding.UTF8.GetBytes(state.LogKey.ToString()));
    }

    /// <summary>Serialises <paramref name="state"/> to a new array.</summary>
    public static byte[] ToArray(RegistryState state)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        Write(state, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteU16(IBufferWriter<byte> output, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(output.GetSpan(2), value);
        output.Advance(2);
    }

    private static void WriteU32(IBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void WriteI64(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteU32(output, (uint)bytes.Length);
        output.Write(bytes);
    }

    private static void WriteString(IBufferWriter<byte> output, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteU16(output, checked((ushort)length));
        output.Advance(Encoding.UTF8.GetBytes(text, output.GetSpan(length)));
    }
}
