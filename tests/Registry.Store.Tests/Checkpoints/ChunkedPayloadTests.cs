using System.Buffers;
using Registry.Store.Checkpoints;
using Registry.Store.IO;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Checkpoints;

/// <summary>A payload serialized into pooled chunks is written and read back byte for byte like a contiguous one.</summary>
public sealed class ChunkedPayloadTests : IDisposable
{
    private readonly TempDirectory _dir = new("chunked");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void MultiChunkPayload_WritesTheSameFileAsAContiguousOne()
    {
        var bytes = new byte[(3 << 20) + 12345];
        new Random(7).NextBytes(bytes);
        using var writer = new ChunkedBufferWriter();
        for (var offset = 0; offset < bytes.Length; offset += 70_000)
        {
            var part = bytes.AsSpan(offset, Math.Min(70_000, bytes.Length - offset));
            part.CopyTo(writer.GetSpan(part.Length));
            writer.Advance(part.Length);
        }

        Assert.False(writer.WrittenSequence.IsSingleSegment);
        Assert.Equal(bytes, writer.WrittenSequence.ToArray());
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_000);
        var chunked = new Checkpoint(3, new LogPosition(640, 9), at, writer.WrittenSequence);
        var contiguous = new Checkpoint(3, new LogPosition(640, 9), at, bytes);
        Assert.Equal(CheckpointFormat.Encode(contiguous), CheckpointFormat.Encode(chunked));

        var info = new FileCheckpointStore(_dir.Path, 1).Write(chunked);
        Assert.Equal(CheckpointFormat.Encode(contiguous), File.ReadAllBytes(info.Location));
        Assert.Equal(bytes, new FileCheckpointStore(_dir.Path, 1).LoadNewest().Checkpoint!.ContiguousPayload.ToArray());
    }
}
