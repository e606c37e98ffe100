using System.Buffers;

namespace Registry.Store.IO;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over pooled 1 MiB chunks, for serializing a large state without growing (and
/// copying) one large-object-heap array, and yielding the CPU between chunks so a checkpoint taken on a small machine
/// does not starve the writer thread. Not thread-safe; dispose to return the chunks to the pool.
/// </summary>
internal sealed class ChunkedBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int ChunkSize = 1 << 20;
    private readonly List<(byte[] Array, int Used)> _chunks = [];

    /// <summary>Bytes written so far.</summary>
    public long Length { get; private set; }

    /// <summary>The bytes written, as a sequence over the chunks (valid until disposed).</summary>
    public ReadOnlySequence<byte> WrittenSequence
    {
        get
        {
            if (_chunks.Count == 0)
            {
                return ReadOnlySequence<byte>.Empty;
            }

            if (_chunks.Count == 1)
            {
                return new ReadOnlySequence<byte>(_chunks[0].Array, 0, _chunks[0].Used);
            }

            var first = new Segment(_chunks[0].Array.AsMemory(0, _chunks[0].Used), 0);
            var last = first;
            for (var i = 1; i < _chunks.Count; i++)
            {
                last = last.Append(_chunks[i].Array.AsMemory(0, _chunks[i].Used));
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }

    public void Advance(int count)
    {
        var (array, used) = _chunks[^1];
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, array.Length - used);
        _chunks[^1] = (array, used + count);
        Length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => Current(sizeHint).AsMemory(_chunks[^1].Used);

    public Span<byte> GetSpan(int sizeHint = 0) => Current(sizeHint).AsSpan(_chunks[^1].Used);

    public void Dispose()
    {
        foreach (var (array, _) in _chunks)
        {
            ArrayPool<byte>.Shared.Return(array);
        }

        _chunks.Clear();
    }

    private byte[] Current(int sizeHint)
    {
        var need = Math.Max(sizeHint, 1);
        if (_chunks.Count > 0 && _chunks[^1].Array.Length - _chunks[^1].Used >= need)
        {
            return _chunks[^1].Array;
        }

        if (_chunks.Count > 0)
        {
            // Between chunks: let the writer thread run (two cores, shared with everything else).
            Thread.Yield();
        }

        var array = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkSize, need));
        _chunks.Add((array, 0));
        return array;
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
