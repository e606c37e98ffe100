using System.Buffers.Binary;

namespace Registry.Store.Log;

/// <summary>
/// The cookie the log attaches to every FasterLog commit: the number of entries below the commit's tail address, so
/// recovery can check what FASTER recovered against what was committed, and the log's geometry (page and segment
/// size), which FASTER does not record but must be the same on every open: a log read with another page size reads
/// garbage.
/// </summary>
/// <remarks>
/// Layout, little-endian, 16 bytes: <c>u32 magic 0x4B434C52 ("RLCK")</c>, <c>i64 entry count</c>,
/// <c>u8 log2 page size</c>, <c>u8 log2 segment size</c>, <c>u16 reserved (0)</c>.
/// </remarks>
internal static class CommitCookie
{
    private const uint Magic = 0x4B434C52;
    private const int Size = 16;

    public static byte[] Encode(long entryCount, int pageSizeBits, int segmentSizeBits)
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), entryCount);
        bytes[12] = checked((byte)pageSizeBits);
        bytes[13] = checked((byte)segmentSizeBits);
        return bytes;
    }

    /// <summary>Reads the cookie; returns the cause when it is not one of ours.</summary>
    public static string? Decode(byte[]? cookie, out long entryCount, out int pageSizeBits, out int segmentSizeBits)
    {
        entryCount = -1;
        pageSizeBits = segmentSizeBits = 0;
        if (cookie is null || cookie.Length != Size)
        {
            return $"commit cookie is {(cookie is null ? "missing" : $"{cookie.Length} bytes")}, expected {Size}";
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(cookie) != Magic)
        {
            return "commit cookie has a bad magic";
        }

        entryCount = BinaryPrimitives.ReadInt64LittleEndian(cookie.AsSpan(4));
        pageSizeBits = cookie[12];
        segmentSizeBits = cookie[13];
        return entryCount < 0 ? $"commit cookie counts {entryCount} entries"
            : pageSizeBits is < 12 or > 26 || segmentSizeBits < pageSizeBits || segmentSizeBits > 40 ? $"commit cookie names an impossible geometry (page 2^{pageSizeBits}, segment 2^{segmentSizeBits})"
            : null;
    }
}
