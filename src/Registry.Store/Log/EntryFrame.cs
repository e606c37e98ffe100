using System.Buffers.Binary;
using Registry.Store.IO;

namespace Registry.Store.Log;

/// <summary>
/// The frame the store wraps around every payload before handing it to the log, so that each entry carries
/// its own sequence number and a CRC-32C that the store checks itself.
/// </summary>
/// <remarks>
/// <para>Layout (little-endian), inside the FasterLog entry (which adds its own 12-byte header and XOR checksum):</para>
/// <code>
///   0  u32  crc32c over bytes [4, 12 + n)
///   4  u64  sequence number (0 for the first entry, +1 per entry, no gaps)
///  12  n    payload
/// </code>
/// <para>
/// Why a second checksum: FasterLog verifies its per-entry checksum only for pages it reads from disk during a scan,
/// not for the tail page it keeps in memory after recovery, and its checksum is an XOR of 8-byte words that misses
/// swapped or paired changes. The sequence number catches lost, duplicated or reordered entries.
/// </para>
/// </remarks>
internal static class EntryFrame
{
    /// <summary>Bytes the frame adds in front of the payload.</summary>
    public const int HeaderSize = 12;

    /// <summary>Writes the frame for <paramref name="payload"/> with <paramref name="sequence"/> into <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, long sequence, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination[4..], sequence);
        payload.CopyTo(destination[HeaderSize..]);
        var crc = Crc32C.Compute(destination[4..(HeaderSize + payload.Length)]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, crc);
    }

    /// <summary>
    /// Checks a frame read back from the log. Returns null when it is intact, or the cause when it is not.
    /// </summary>
    public static string? Check(ReadOnlySpan<byte> frame, out long sequence)
    {
        sequence = -1;
        if (frame.Length < HeaderSize)
        {
            return $"entry is {frame.Length} bytes, shorter than the {HeaderSize}-byte frame header";
        }

        var stored = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        var actual = Crc32C.Compute(frame[4..]);
        if (stored != actual)
        {
            return $"entry checksum mismatch (stored 0x{stored:x8}, computed 0x{actual:x8})";
        }

        sequence = BinaryPrimitives.ReadInt64LittleEndian(frame[4..]);
        return sequence < 0 ? $"entry carries a negative sequence number {sequence}" : null;
    }
}
