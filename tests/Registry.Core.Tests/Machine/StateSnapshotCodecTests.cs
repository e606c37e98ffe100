using System.Buffers.Binary;
using System.Text;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

/// <summary>
/// The snapshot layout written independently from its description in StateSnapshotCodec's header, then
/// corrupted part by part: Read must refuse each corruption with a FormatException.
/// </summary>
public sealed class StateSnapshotCodecTests
{
    [Fact]
    public void ToArray_State_MatchesTheDocumentedLayout()
    {
        var state = Sample();
        Assert.Equal(Parts.Of(state).ToBytes(), StateSnapshotCodec.ToArray(state));
    }

    [Fact]
    public void Read_GenesisState_RoundTrips()
    {
        var h = new Harness();
        var back = StateSnapshotCodec.Read(StateSnapshotCodec.ToArray(h.State));
        StateAssert.Equal(h.State, back);
        Assert.Null(back.Head);
    }

    [Fact]
    public void Read_EveryTruncation_IsFormatException()
    {
        var bytes = StateSnapshotCodec.ToArray(Sample());
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(prefix));
        }
    }

    [Fact]
    public void Read_TrailingBytes_IsFormatException() =>
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read([.. StateSnapshotCodec.ToArray(Sample()), 0]));

    [Fact]
    public void Read_BadMagicOrFormat_IsFormatException()
    {
        var bytes = StateSnapshotCodec.ToArray(Sample());
        var magic = (byte[])bytes.Clone();
        magic[0] ^= 1;
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(magic));
        var format = (byte[])bytes.Clone();
        format[8] = 5;
        Assert.Contains("format 5", Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(format)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Format1_IsRefusedNamingProtocolV1()
    {
        var bytes = StateSnapshotCodec.ToArray(Sample());
        bytes[8] = 1;
        var message = Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(bytes)).Message;
        Assert.Contains("format 1 was written under protocol v1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SampleState_KeepsLastWritersAndChainHashes()
    {
        var state = Sample();
        var back = StateSnapshotCodec.Read(StateSnapshotCodec.ToArray(state));
        Assert.Equal(state.LastWriters.OrderBy(p => p.Key, StringComparer.Ordinal), back.LastWriters.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(4, back.LastWriters.Count);
        Assert.Equal(2, back.LastWriters["node:a"]);
        Assert.Equal(1, back.LastWriters["region:us"]);
        Assert.Equal(state.Hashes.All(), back.Hashes.All());
        Assert.Equal(3, back.Hashes.Count);
    }

    [Fact]
    public void Read_LastWriterMissingForALiveDescriptor_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        parts.Writers.RemoveAll(w => w.Id == "node:a");
        Assert.Contains("lacks 'node:a'", Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes())).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_CommittedProposalListedTwice_IsFormatException(bool sameVersion)
    {
        var parts = Parts.Of(Sample());
        var first = parts.Committed[0];
        parts.Committed.Add((first.Id, sameVersion ? first.Version : first.Version + 1));
        Assert.Contains("twice", Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LastWriterOfALiveDescriptor_SharesTheDescriptorsIdString()
    {
        var back = StateSnapshotCodec.Read(StateSnapshotCodec.ToArray(Sample()));
        var id = back.LastWriters.Keys.Single(k => k == "node:a");
        Assert.Same(back.Descriptors.Single(d => d.Id == "node:a").Id, id);
    }

    [Fact]
    public void Read_LastWriterPastHead_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        parts.Writers[0] = (parts.Writers[0].Id, 3);
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_ChainHashesNotEndingAtHead_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        parts.Hashes[^1] = Digest.Compute("x"u8);
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
        parts = Parts.Of(Sample());
        parts.Hashes.RemoveAt(1);
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_DescriptorAttrsAltered_IsRefusedByTheRootCheck()
    {
        var parts = Parts.Of(Sample());
        var region = parts.Descriptors.FindIndex(d => d.Kind == 2);
        parts.Descriptors[region] = parts.Descriptors[region] with { Attrs = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(parts.Descriptors[region].Attrs).Replace("\"}", "x\"}", StringComparison.Ordinal)) };
        Assert.Contains("hash to", Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_DescriptorMissing_IsRefusedByTheRootCheck()
    {
        var parts = Parts.Of(Sample());
        parts.Descriptors.RemoveAt(1);
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_UnknownKindByte_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        var region = parts.Descriptors.FindIndex(d => d.Kind == 2);
        parts.Descriptors[region] = parts.Descriptors[region] with { Kind = 3 };
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_RegionFieldDisagreeingWithAttrs_IsFormatException()
    {
        // The region reference is stored beside the attrs; the root does not cover it, so Read must check it.
        var parts = Parts.Of(Sample());
        var node = parts.Descriptors.FindIndex(d => d.Kind == 0);
        parts.Descriptors[node] = parts.Descriptors[node] with { Region = "region:us" };
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));

        parts = Parts.Of(Sample());
        parts.Descriptors[node] = parts.Descriptors[node] with { Region = string.Empty };
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_SignerSetOfAnotherVersion_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        parts.SignerSet = TestKeys.Set(5, 1, Alice).ToCanonicalBytes();
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_SignerSetOtherThanTheOneHeadOrGenesisInstalled_IsFormatException()
    {
        var genesis = Parts.Of(new Harness().State);
        genesis.SignerSet = TestKeys.Set(1, 1, Alice).ToCanonicalBytes();
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(genesis.ToBytes()));

        var h = new Harness();
        h.CommitChanges([new SetSignersChange(TestKeys.Set(2, 1, Alice, Bob))], Alice, Bob);
        var installed = Parts.Of(h.State);
        Assert.Equal(h.State.SignerSet.ToCanonicalBytes(), StateSnapshotCodec.Read(installed.ToBytes()).SignerSet.ToCanonicalBytes());
        installed.SignerSet = TestKeys.Set(2, 1, Alice, Carol).ToCanonicalBytes();
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(installed.ToBytes()));
    }

    [Fact]
    public void Read_DuplicatePendingOrCommittedEntry_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        parts.Pending.Add(parts.Pending[0]);
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));

        parts = Parts.Of(Sample());
        parts.Committed.Add(parts.Committed[0]);
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_HeadNotAmongCommittedProposals_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        parts.Committed.RemoveAll(c => c.Version == 2);
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_AcceptedAtOutOfRange_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        parts.Pending[0] = parts.Pending[0] with { AcceptedAt = long.MaxValue };
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));
    }

    [Fact]
    public void Read_SampleState_KeepsProposingTokensAndDroppedProposals()
    {
        var state = Sample();
        var back = StateSnapshotCodec.Read(StateSnapshotCodec.ToArray(state));
        StateAssert.Equal(state, back);
        Assert.True(StateAssert.Same(state, back));
        Assert.Equal("tok-1", Assert.Single(back.Pending.Values, p => p.ProposedBy is not null).ProposedBy);
        Assert.Equal(1, back.PendingByToken["tok-1"]);
        Assert.Equal(state.PendingBytes, back.PendingBytes);
        var dropped = Assert.Single(back.Dropped.Values);
        Assert.Equal(ProposalStatus.Expired, dropped.Because);
        Assert.Equal(2, dropped.Version);
    }

    [Fact]
    public void Read_Format2_WithoutTokensOrDroppedProposals_StillReads()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")));
        var open = h.Build(Given.Put(Given.Region("region:us")));
        Expect(h.Propose(open));
        var parts = Parts.Of(h.State);
        parts.Format = 2;
        var back = StateSnapshotCodec.Read(parts.ToBytes());
        Assert.True(StateAssert.Same(h.State, back));
        Assert.Null(back.Pending[open.Id].ProposedBy);
        Assert.Empty(back.Dropped);
    }

    [Fact]
    public void Read_DroppedProposalStillOpenOrForAnUnknownReason_IsFormatException()
    {
        var parts = Parts.Of(Sample());
        parts.Dropped[0] = parts.Dropped[0] with { Because = (byte)ProposalStatus.Committed };
        Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes()));

        parts = Parts.Of(Sample());
        parts.Dropped[0] = parts.Dropped[0] with { Id = Proposal.FromCanonicalBytes(parts.Pending[0].Proposal).Id };
        Assert.Contains("is open", Assert.ThrowsAny<FormatException>(() => StateSnapshotCodec.Read(parts.ToBytes())).Message, StringComparison.Ordinal);
    }

    private static RegistryState Sample()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Region("region:us")));
        var expiring = h.Build([Given.Put(Given.Region("region:gone"))], TimeSpan.FromSeconds(5));
        Expect(h.Propose(expiring, "tok-2"));
        h.CommitChanges(Given.Put(Given.Node("node:a", "region:eu")), Given.Put(Given.Service("svc:s")));
        var open = h.Build(Given.Delete("svc:s"));
        Expect(h.Propose(open, "tok-1"));
        Expect(h.Approve(open, Bob));
        h.Now = h.Now.Add(TimeSpan.FromMinutes(1));
        Expect(h.Drop(expiring.Id));
        return h.State;
    }

    /// <summary>The snapshot's parts, and a writer for them that follows the documented layout.</summary>
    private sealed class Parts
    {
        public byte[] TrustRoots { get; set; } = [];

        public byte[] Head { get; set; } = [];

        public byte[] SignerSet { get; set; } = [];

        public List<DescriptorPart> Descriptors { get; } = [];

        public List<PendingPart> Pending { get; } = [];

        public List<(Digest Id, long Version)> Committed { get; } = [];

        public List<DroppedPart> Dropped { get; } = [];

        public uint Format { get; set; } = 4;

        public byte[] LogKey { get; set; } = [];

        public List<(string Id, long Version)> Writers { get; } = [];

        public List<Digest> Hashes { get; } = [];

        public static Parts Of(RegistryState state)
        {
            var parts = new Parts
            {
                TrustRoots = state.Genesis.ToTrustRootsDocument(),
                Head = state.Head?.CanonicalBytes.ToArray() ?? [],
                SignerSet = state.SignerSet.ToCanonicalBytes(),
                LogKey = state.LogKey is null ? [] : Encoding.UTF8.GetBytes(state.LogKey.ToString()),
            };
            parts.Descriptors.AddRange(state.Descriptors.Select(d => new DescriptorPart((byte)d.Kind, d.Id, d.Region ?? string.Empty, d.Attrs.ToArray())));
            parts.Pending.AddRange(state.Pending.Values.OrderBy(p => p.Id).Select(p => new PendingPart(
                p.Proposal.CanonicalBytes.ToArray(), p.StateRoot, p.AcceptedAt.UnixMilliseconds, [.. p.Approvals.Select(a => (a.SignerId, a.Signature.ToArray()))], p.ProposedBy)));
            parts.Dropped.AddRange(state.Dropped.Values.OrderBy(d => d.Id).Select(d => new DroppedPart(d.Id, (byte)d.Because, d.DroppedAt.UnixMilliseconds, d.Version)));
            parts.Committed.AddRange(state.CommittedProposals.OrderBy(c => c.Value).Select(c => (c.Key, c.Value)));
            parts.Writers.AddRange(state.LastWriters.OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => (w.Key, w.Value)));
            parts.Hashes.AddRange(Enumerable.Range(0, (int)state.Hashes.Count).Select(v => state.Hashes[v]));
            return parts;
        }

        public byte[] ToBytes()
        {
            var o = new List<byte>();
            o.AddRange("RONSTATE"u8.ToArray());
            U32(o, Format);
            Bytes(o, TrustRoots);
            Bytes(o, Head);
            Bytes(o, SignerSet);
            U32(o, (uint)Descriptors.Count);
            foreach (var d in Descriptors)
            {
                o.Add(d.Kind);
                Str(o, d.Id);
                Str(o, d.Region);
                Bytes(o, d.Attrs);
            }

            U32(o, (uint)Pending.Count);
            foreach (var p in Pending)
            {
                Bytes(o, p.Proposal);
                o.AddRange(p.StateRoot.Bytes.ToArray());
                I64(o, p.AcceptedAt);
                U16(o, (ushort)p.Approvals.Count);
                foreach (var (signer, sig) in p.Approvals)
                {
                    Str(o, signer);
                    Bytes(o, sig);
                }

                if (Format >= 3)
                {
                    o.Add(p.ProposedBy is null ? (byte)0 : (byte)1);
                    if (p.ProposedBy is not null)
                    {
                        Str(o, p.ProposedBy);
                    }
                }
            }

            U32(o, (uint)Committed.Count);
            foreach (var (id, version) in Committed)
            {
                o.AddRange(id.Bytes.ToArray());
                I64(o, version);
            }

            if (Format >= 3)
            {
                U32(o, (uint)Dropped.Count);
                foreach (var d in Dropped)
                {
                    o.AddRange(d.Id.Bytes.ToArray());
                    o.Add(d.Because);
                    I64(o, d.DroppedAt);
                    I64(o, d.Version);
                }
            }

            U32(o, (uint)Writers.Count);
            foreach (var (id, version) in Writers)
            {
                Str(o, id);
                I64(o, version);
            }

            U32(o, (uint)Hashes.Count);
            foreach (var hash in Hashes)
            {
                o.AddRange(hash.Bytes.ToArray());
            }

            if (Format >= 4)
            {
                Bytes(o, LogKey);
            }

            return [.. o];
        }

        private static void U16(List<byte> o, ushort v)
        {
            var b = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, v);
            o.AddRange(b);
        }

        private static void U32(List<byte> o, uint v)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(b, v);
            o.AddRange(b);
        }

        private static void I64(List<byte> o, long v)
        {
            var b = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, v);
            o.AddRange(b);
        }

        private static void Bytes(List<byte> o, byte[] bytes)
        {
            U32(o, (uint)bytes.Length);
            o.AddRange(bytes);
        }

        private static void Str(List<byte> o, string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            U16(o, (ushort)b.Length);
            o.AddRange(b);
        }
    }

    private sealed record DescriptorPart(byte Kind, string Id, string Region, byte[] Attrs);

    private sealed record PendingPart(byte[] Proposal, Digest StateRoot, long AcceptedAt, List<(string SignerId, byte[] Sig)> Approvals, string? ProposedBy);

    private sealed record DroppedPart(Digest Id, byte Because, long DroppedAt, long Version);
}
