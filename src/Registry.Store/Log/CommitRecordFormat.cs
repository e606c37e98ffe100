using System.Buffers.Binary;
using Registry.Store.IO;

namespace Registry.Store.Log;

/// <summary>
/// On-disk layout of one slot of the log's commit-record file (<c>log.commit</c>), which holds FasterLog's commit
/// metadata in place of FASTER's one-file-per-commit scheme.
/// </summary>
/// <remarks>
/// <para>The file is two 4096-byte slots; a commit overwrites the slot that does not hold the newest valid record,
/// then fsyncs, so a torn write can only damage the record being written, never the one before it.</para>
/// <para>Slot layout, all integers little-endian:</para>
/// <code>
///   0  u32  magic 0x4D434C52 ("RLCM")
///   4  u16  format version (1)
///   6  u16  minimum reader version that can read this slot (1)
///   8  u64  write sequence (rises by 1 per slot write; the higher valid one is newest)
///  16  i64  FASTER commit number
///  24  i32  payload length n (0 .. 4060)
///  28  u32  reserved, 0
///  32  n    payload: FASTER's serialized FasterLogRecoveryInfo
///  32+n u32 crc32c over bytes [0, 32 + n)
///  rest     zero (checked: a non-zero byte there is damage)
/// </code>
/// <para>A slot of all zero bytes is empty (never written), not corrupt.</para>
/// </remarks>
internal static class CommitRecordFormat
{
    public const int SlotSize = 4096;
    public const int SlotCount = 2;
    public const int FileSize = SlotSize * SlotCount;
    public const uint Magic = 0x4D434C52;
    public const ushort FormatVersion = 1;
    public const ushort MinCompatibleVersion = 1;
    public const int HeaderSize = 32;
    public const int MaxPayload = SlotSize - HeaderSize - sizeof(uint);

    /// <summary>Builds the bytes of one slot.</summary>
    public static byte[] Encode(ulong writeSequence, long commitNum, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > MaxPayload)
        {
            throw new ArgumentException($"Commit metadata of {payload.Length} bytes exceeds the slot's {MaxPayload}.", nameof(payload));
        }

        var slot = new byte[SlotSize];
        var span = slot.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], MinCompatibleVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(span[8..], writeSequence);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], commitNum);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], payload.Length);
        payload.CopyTo(span[HeaderSize..]);
        var end = HeaderSize + payload.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(span[end..], Crc32C.Compute(span[..end]));
        return slot;
    }

    /// <summary>
    /// Reads one slot. Returns null and fills <paramref name="record"/> when valid; returns null with a null record
    /// when the slot is empty; returns the cause when the slot is damaged.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> slot, out CommitSlotRecord? record)
    {
        record = null;
        if (slot.Length < SlotSize)
        {
            return slot.IndexOfAnyExcept((byte)0) < 0 ? null : $"slot is truncated to {slot.Length} of {SlotSize} bytes";
        }

        if (slot.IndexOfAnyExcept((byte)0) < 0)
        {
            return null;
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(slot);
        if (magic != Magic)
        {
            return $"bad magic 0x{magic:x8} (expected 0x{Magic:x8})";
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(slot[4..]);
        var minVersion = BinaryPrimitives.ReadUInt16LittleEndian(slot[6..]);
        if (minVersion > FormatVersion)
        {
            return $"format version {version} needs a reader of version {minVersion}; this one reads {FormatVersion}";
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(slot[24..]);
        if (length is < 0 or > MaxPayload)
        {
            return $"payload length {length} is outside 0..{MaxPayload}";
        }

        var end = HeaderSize + length;
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(slot[end..]);
        var actual = Crc32C.Compute(slot[..end]);
        if (stored != actual)
        {
            return $"checksum mismatch (stored 0x{stored:x8}, computed 0x{actual:x8})";
        }

        if (slot[(end + sizeof(uint))..SlotSize].IndexOfAnyExcept((byte)0) is var stray and >= 0)
        {
            return $"non-zero byte at offset {end + sizeof(uint) + stray} after the record";
        }

        record = new CommitSlotRecord(
            BinaryPrimitives.ReadUInt64LittleEndian(slot[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(slot[16..]),
            slot[HeaderSize..end].ToArray());
        return null;
    }
}
