using System.Buffers;
using Registry.Store.IO;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.IO;

/// <summary>The streamed atomic write checkpoints use: whole contents, whatever the chunking, and no temp file left.</summary>
public sealed class DurableFilesTests : IDisposable
{
    private readonly TempDirectory _directory = new("durable-files");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(3, 100_000, 65_536)]
    [InlineData(1, 1 << 20, 65_536)]
    [InlineData(4, 1000, 4096)]
    [InlineData(2, 65_536, 65_536)]
    public void WriteAtomically_ChunksLargerOrSmallerThanTheSyncStep_WritesHeaderAndEveryChunkInOrder(int chunks, int chunkSize, long syncEvery)
    {
        var header = "HEADER"u8.ToArray();
        var parts = Enumerable.Range(0, chunks).Select(i => Enumerable.Range(0, chunkSize).Select(b => (byte)((b * 31) + i)).ToArray()).ToList();
        var body = Sequence(parts);
        var path = _directory.Combine("file.bin");

        DurableFiles.WriteAtomically(path, header, body, syncEvery);

        Assert.Equal(header.Concat(parts.SelectMany(p => p)).ToArray(), File.ReadAllBytes(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    private static ReadOnlySequence<byte> Sequence(List<byte[]> parts)
    {
        var first = new Segment(parts[0], 0);
        var last = first;
        foreach (var part in parts.Skip(1))
        {
            last = last.Append(part);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
