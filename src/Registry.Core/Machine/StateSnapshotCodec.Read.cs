using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Text;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Machine;

public static partial class StateSnapshotCodec
{
    /// <summary>Reads a snapshot and verifies its tree against the head record's state root.</summary>
    /// <exception cref="FormatException">Truncated, unknown format, or inconsistent with its own head.</exception>
    public static RegistryState Read(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        if (!reader.Take(8).SequenceEqual(Magic))
        {
            throw RegistryFormatException.Malformed("Not a state snapshot (bad magic).");
        }

        var format = reader.U32();
        if (format != FormatVersion)
        {
            throw RegistryFormatException.Malformed($"State snapshot format {format} is not supported (this build reads {FormatVersion}).");
        }

        var genesis = GenesisRecord.FromTrustRoots(reader.Bytes().ToArray());
        var headBytes = reader.Bytes();
        var head = headBytes.IsEmpty ? null : CommitRecord.FromCanonicalBytes(headBytes.ToArray());
        var signerSet = SignerSetFrom(reader.Bytes().ToArray());

        var descriptors = new Descriptor[reader.U32()];
        for (var i = 0; i < descriptors.Length; i++)
        {
            var kind = (DescriptorKind)reader.Take(1)[0];
            var id = reader.String();
            var region = reader.String();
            descriptors[i] = Descriptor.FromTrustedParts(kind, id, reader.Bytes().ToArray(), region.Length == 0 ? null : region);
        }

        var tree = StateTree.Build(descriptors);
        var expectedRoot = head?.StateRoot ?? Digest.Zero;
        if (tree.Root != expectedRoot)
        {
            throw RegistryFormatException.Malformed($"State snapshot descriptors hash to {tree.Root}, but its head says {expectedRoot}.");
        }

        var pending = ImmutableDictionary.CreateBuilder<Digest, PendingProposal>();
        var pendingCount = reader.U32();
        for (var i = 0; i < pendingCount; i++)
        {
            var proposal = Proposal.FromCanonicalBytes(reader.Bytes().ToArray());
            var root = new Digest(reader.Take(Digest.Size));
            var acceptedAt = new Timestamp(reader.I64());
            var approvals = ImmutableArray.CreateBuilder<Approval>();
            var approvalCount = reader.U16();
            for (var j = 0; j < approvalCount; j++)
            {
                approvals.Add(new Approval(reader.String(), reader.Bytes()));
            }

            pending.Add(proposal.Id, new PendingProposal(proposal, root, acceptedAt, approvals.ToImmutable()));
        }

        var committed = ImmutableDictionary.CreateBuilder<Digest, long>();
        var committedCount = reader.U32();
        for (var i = 0; i < committedCount; i++)
        {
            committed.Add(new Digest(reader.Take(Digest.Size)), reader.I64());
        }

        if (!reader.AtEnd)
        {
            throw RegistryFormatException.Malformed("State snapshot has trailing bytes.");
        }

        return RegistryState.Restore(genesis, head, tree, signerSet, pending.ToImmutable(), committed.ToImmutable());
    }

    private static SignerSet SignerSetFrom(byte[] canonical)
    {
        using var document = Json.CanonicalJson.Parse(canonical);
        return SignerSet.FromJson(document.RootElement);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly bool AtEnd => _rest.IsEmpty;

        public ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > _rest.Length)
            {
                throw RegistryFormatException.Malformed("State snapshot is truncated.");
            }

            var taken = _rest[..count];
            _rest = _rest[count..];
            return taken;
        }

        public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

        public int U32()
        {
            var value = BinaryPrimitives.ReadUInt32LittleEndian(Take(4));
            // Every length or count is bounded by the bytes left (each item takes at least one byte).
            return value > (uint)_rest.Length ? throw RegistryFormatException.Malformed("State snapshot is truncated.") : (int)value;
        }

        public long I64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public ReadOnlySpan<byte> Bytes() => Take(U32());

        public string String() => Encoding.UTF8.GetString(Take(U16()));
    }
}
