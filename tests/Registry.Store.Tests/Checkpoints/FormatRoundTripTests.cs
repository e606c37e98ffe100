using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Registry.Store.Checkpoints;
using Registry.Store.IO;
using Registry.Store.Log;

namespace Registry.Store.Tests.Checkpoints;

/// <summary>Round trips of every on-disk format over generated values, and the cause reported for each kind of damage.</summary>
public sealed class FormatRoundTripTests
{
    [Fact]
    public void CheckpointFormat_RoundTrips_AnyValues() =>
        Prop.ForAll<NonNegativeInt, PositiveInt, byte[]>((version, address, payload) =>
        {
            payload ??= [];
            var created = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000L + version.Get);
            var original = new Checkpoint(version.Get * 3L, new LogPosition(address.Get * 64L, address.Get * 7L + version.Get), created, payload);
            var cause = CheckpointFormat.Decode(CheckpointFormat.Encode(original), out var decoded, out _);
            return cause is null
                && decoded!.RegistryVersion == original.RegistryVersion
                && decoded.Next == original.Next
                && decoded.CreatedAt == created
                && decoded.Payload.Span.SequenceEqual(payload);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void CommitRecordFormat_RoundTrips_AnyValues() =>
        Prop.ForAll<ulong, long, byte[]>((sequence, commitNum, metadata) =>
        {
            metadata = (metadata ?? []).Take(CommitRecordFormat.MaxPayload).ToArray();
            var cause = CommitRecordFormat.Decode(CommitRecordFormat.Encode(sequence, commitNum, metadata), out var record);
            return cause is null && record!.WriteSequence == sequence && record.CommitNum == commitNum && record.Metadata.SequenceEqual(metadata);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void EntryFrame_RoundTrips_AndAnySingleFlipIsDetected() =>
        Prop.ForAll<NonNegativeInt, byte[], PositiveInt>((sequence, payload, flip) =>
        {
            payload ??= [];
            var frame = new byte[EntryFrame.HeaderSize + payload.Length];
            EntryFrame.Write(frame, sequence.Get, payload);
            var intact = EntryFrame.Check(frame, out var read) is null && read == sequence.Get;
            frame[flip.Get % frame.Length] ^= 0x10;
            return intact && EntryFrame.Check(frame, out _) is not null;
        }).QuickCheckThrowOnFailure();

    [Theory]
    [InlineData(0, "bad magic")]
    [InlineData(17, "header checksum mismatch")]
    [InlineData(70, "payload checksum mismatch")]
    public void CheckpointFormat_DamagedByte_NamesTheDamagedPart(int offset, string cause)
    {
        var bytes = CheckpointFormat.Encode(Sample());
        bytes[offset] ^= 0xFF;
        Assert.Contains(cause, CheckpointFormat.Decode(bytes, out _, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointFormat_Truncated_IsRejectedWithTheLengths()
    {
        var bytes = CheckpointFormat.Encode(Sample());
        var cause = CheckpointFormat.Decode(bytes.AsMemory(0, bytes.Length - 3), out _, out var offset);
        Assert.Contains("header says 64 + 20", cause, StringComparison.Ordinal);
        Assert.Equal(bytes.Length - 3, offset);
        Assert.Contains("shorter than the 64-byte header", CheckpointFormat.Decode(bytes.AsMemory(0, 10), out _, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointFormat_NewerMinimumReaderVersion_IsRejected()
    {
        var bytes = CheckpointFormat.Encode(Sample());
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(60), Crc32C.Compute(bytes.AsSpan(0, 60)));
        Assert.Contains("needs a reader of version 2", CheckpointFormat.Decode(bytes, out _, out _), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointFormat_NewerVersionStillReadableByVersion1_IsAccepted()
    {
        var bytes = CheckpointFormat.Encode(Sample());
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(60), Crc32C.Compute(bytes.AsSpan(0, 60)));
        Assert.Null(CheckpointFormat.Decode(bytes, out var checkpoint, out _));
        Assert.Equal(Sample().RegistryVersion, checkpoint!.RegistryVersion);
    }

    [Fact]
    public void CommitRecordFormat_EmptySlot_IsNotCorrupt_AndDamagedSlotIs()
    {
        Assert.Null(CommitRecordFormat.Decode(new byte[CommitRecordFormat.SlotSize], out var empty));
        Assert.Null(empty);
        var slot = CommitRecordFormat.Encode(1, 2, [1, 2, 3]);
        slot[33] ^= 1;
        Assert.Contains("checksum mismatch", CommitRecordFormat.Decode(slot, out _), StringComparison.Ordinal);
    }

    private static Checkpoint Sample() =>
        new(7, new LogPosition(640, 12), DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000), new byte[20]);
}
