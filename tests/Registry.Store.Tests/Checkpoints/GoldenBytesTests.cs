using System.Text;
using Registry.Store.Checkpoints;
using Registry.Store.IO;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Checkpoints;

/// <summary>
/// Every on-disk format against its golden fixture, byte for byte. The fixtures are laid out by hand from the format
/// documentation by Fixtures/make_fixtures.py, with a bit-wise reference CRC-32C, independently of the C# encoders.
/// </summary>
public sealed class GoldenBytesTests
{
    private static readonly DateTimeOffset s_createdAt = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Fact]
    public void Crc32C_CheckValue_MatchesRfc3720() =>
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));

    [Fact]
    public void CheckpointFormat_Encode_MatchesGoldenFixture()
    {
        var checkpoint = new Checkpoint(42, new LogPosition(4160, 100), s_createdAt, Encoding.UTF8.GetBytes("registry-state:v42"));
        Assert.Equal(Fixtures.ReadHex("checkpoint-v1.hex"), CheckpointFormat.Encode(checkpoint));
    }

    [Fact]
    public void CheckpointFormat_DecodeGoldenFixture_YieldsItsFields()
    {
        Assert.Null(CheckpointFormat.Decode(Fixtures.ReadHex("checkpoint-v1.hex"), out var checkpoint, out _));
        Assert.Equal(42, checkpoint!.RegistryVersion);
        Assert.Equal(new LogPosition(4160, 100), checkpoint.Next);
        Assert.Equal(s_createdAt, checkpoint.CreatedAt);
        Assert.Equal("registry-state:v42", Encoding.UTF8.GetString(checkpoint.Payload.Span));
    }

    [Fact]
    public void CommitRecordFormat_Encode_MatchesGoldenFixture()
    {
        var metadata = Enumerable.Range(0, 44).Select(i => (byte)i).ToArray();
        Assert.Equal(Fixtures.ReadHex("commit-record-slot-v1.hex"), CommitRecordFormat.Encode(7, 9, metadata));
    }

    [Fact]
    public void CommitRecordFormat_DecodeGoldenFixture_YieldsItsFields()
    {
        Assert.Null(CommitRecordFormat.Decode(Fixtures.ReadHex("commit-record-slot-v1.hex"), out var record));
        Assert.Equal(7UL, record!.WriteSequence);
        Assert.Equal(9, record.CommitNum);
        Assert.Equal(Enumerable.Range(0, 44).Select(i => (byte)i), record.Metadata);
    }

    [Fact]
    public void EntryFrame_Write_MatchesGoldenFixture()
    {
        var frame = new byte[EntryFrame.HeaderSize + 5];
        EntryFrame.Write(frame, 5, "hello"u8);
        Assert.Equal(Fixtures.ReadHex("entry-frame-v1.hex"), frame);
        Assert.Null(EntryFrame.Check(Fixtures.ReadHex("entry-frame-v1.hex"), out var sequence));
        Assert.Equal(5, sequence);
    }

    [Fact]
    public void CommitCookie_Encode_MatchesGoldenFixture()
    {
        Assert.Equal(Fixtures.ReadHex("commit-cookie-v1.hex"), CommitCookie.Encode(1234, 20, 28));
        Assert.Null(CommitCookie.Decode(Fixtures.ReadHex("commit-cookie-v1.hex"), out var count, out var pageBits, out var segmentBits));
        Assert.Equal((1234, 20, 28), (count, pageBits, segmentBits));
    }
}
