using System.Buffers.Binary;
using Registry.Store.IO;
using Registry.Store.Log;

namespace Registry.Store.Checkpoints;

/// <summary>
/// The checkpoint file format, version 1: a 64-byte header followed by the payload.
/// </summary>
/// <remarks>
/// <para>All integers little-endian. Two CRC-32C checksums (<see cref="Crc32C"/>) cover the header and the payload,
/// so a damaged file names which part is damaged, and a reader can check the header without reading the payload.</para>
/// <code>
///   0  u32  magic 0x50434752 ("RGCP")
///   4  u16  format version (1)
///   6  u16  minimum reader version that can read the file (1)
///   8  u32  header length (64)
///  12  u32  reserved, 0
///  16  i64  registry version
///  24  i64  log address of the first entry to replay
///  32  i64  log sequence number of that entry (= entries reflected in the state)
///  40  i64  created at, Unix milliseconds
///  48  i64  payload length n
///  56  u32  crc32c of the payload
///  60  u32  crc32c of header bytes [0, 60)
///  64  n    payload
/// </code>
/// <para>A reader rejects a file whose minimum reader version exceeds its own; a later format may grow the header
/// (the length field says where the payload starts) while staying readable by version-1 readers.</para>
/// </remarks>
internal static class CheckpointFormat
{
    public const uint Magic = 0x50434752;
    public const ushort FormatVersion = 1;
    public const ushort MinCompatibleVersion = 1;
    public const int HeaderSize = 64;

    /// <summary>Encodes the header for <paramref name="checkpoint"/> (the payload follows it in the file).</summary>
    public static byte[] EncodeHeader(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var header = new byte[HeaderSize];
        var span = header.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], FormatVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], MinCompatibleVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], checkpoint.RegistryVersion);
        BinaryPrimitives.WriteInt64LittleEndian(span[24..], checkpoint.Next.Address);
        BinaryPrimitives.WriteInt64LittleEndian(span[32..], checkpoint.Next.Sequence);
        BinaryPrimitives.WriteInt64LittleEndian(span[40..], checkpoint.CreatedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64LittleEndian(span[48..], checkpoint.Payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[56..], Crc32C.Compute(checkpoint.Payload.Span));
        BinaryPrimitives.WriteUInt32LittleEndian(span[60..], Crc32C.Compute(span[..60]));
        return header;
    }

    /// <summary>The whole file: header and payload.</summary>
    public static byte[] Encode(Checkpoint checkpoint)
    {
        var header = EncodeHeader(checkpoint);
        var file = new byte[checked(HeaderSize + checkpoint.Payload.Length)];
        header.CopyTo(file, 0);
        checkpoint.Payload.Span.CopyTo(file.AsSpan(HeaderSize));
        return file;
    }

    /// <summary>
    /// Decodes a whole file. Returns null and the checkpoint when valid, or the cause (and the byte offset it
    /// concerns, in <paramref name="offset"/>) when not.
    /// </summary>
    public static string? Decode(ReadOnlyMemory<byte> file, out Checkpoint? checkpoint, out long offset)
    {
        checkpoint = null;
        offset = 0;
        var span = file.Span;
        if (span.Length < HeaderSize)
        {
            offset = span.Length;
            return $"file is {span.Length} bytes, shorter than the {HeaderSize}-byte header";
        }

        var magic = BinaryPrimitives.ReadUInt32LittleEndian(span);
        if (magic != Magic)
        {
            return $"bad magic 0x{magic:x8} (expected 0x{Magic:x8})";
        }

        var storedHeaderCrc = BinaryPrimitives.ReadUInt32LittleEndian(span[60..]);
        if (storedHeaderCrc != Crc32C.Compute(span[..60]))
        {
            offset = 60;
            return $"header checksum mismatch (stored 0x{storedHeaderCrc:x8})";
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(span[4..]);
        var minVersion = BinaryPrimitives.ReadUInt16LittleEndian(span[6..]);
        if (minVersion > FormatVersion)
        {
            offset = 6;
            return $"format version {version} needs a reader of version {minVersion}; this one reads {FormatVersion}";
        }

        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        var payloadLength = BinaryPrimitives.ReadInt64LittleEndian(span[48..]);
        if (headerLength < HeaderSize || payloadLength < 0 || headerLength + payloadLength != span.Length)
        {
            offset = span.Length;
            return $"file is {span.Length} bytes, but its header says {headerLength} + {payloadLength}";
        }

        var payload = file[(int)headerLength..];
        var storedPayloadCrc = BinaryPrimitives.ReadUInt32LittleEndian(span[56..]);
        if (storedPayloadCrc != Crc32C.Compute(payload.Span))
        {
            offset = headerLength;
            return $"payload checksum mismatch (stored 0x{storedPayloadCrc:x8})";
        }

        var next = new LogPosition(BinaryPrimitives.ReadInt64LittleEndian(span[24..]), BinaryPrimitives.ReadInt64LittleEndian(span[32..]));
        if (next.Address < 0 || next.Sequence < 0)
        {
            offset = 24;
            return $"negative log position {next}";
        }

        checkpoint = new Checkpoint(
            BinaryPrimitives.ReadInt64LittleEndian(span[16..]),
            next,
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64LittleEndian(span[40..])),
            payload);
        return null;
    }
}
