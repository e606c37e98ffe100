using System.Buffers.Binary;

namespace Registry.Store.Log;

/// <summary>
/// The cookie the log attaches to every FasterLog commit: the number of entries below the commit's tail address,
/// so recovery can check what FASTER recovered against what was committed.
/// </summary>
/// <remarks>Layout: <c>u32 magic 0x4B434C52 ("RLCK")</c>, <c>i64 entry count</c>, little-endian; 12 bytes.</remarks>
internal static class CommitCookie
{
    private const uint Magic = 0x4B434C52;
    private const int Size = 12;

    public static byte[] Encode(long entryCount)
    {
        var bytes = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4), entryCount);
        return bytes;
    }

    /// <summary>Reads the entry count; returns the cause when the cookie is not one of ours.</summary>
    public static string? Decode(byte[]? cookie, out long entryCount)
    {
        entryCount = -1;
        if (cookie is null || cookie.Length != Size)
        {
            return $"commit cookie is {(cookie is null ? "missing" : $"{cookie.Length} bytes")}, expected {Size}";
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(cookie) != Magic)
        {
            return "commit cookie has a bad magic";
        }

        entryCount = BinaryPrimitives.ReadInt64LittleEndian(cookie.AsSpan(4));
        return entryCount < 0 ? $"commit cookie counts {entryCount} entries" : null;
    }
}
