using System.Buffers.Binary;
using System.Numerics;

namespace Registry.Store.IO;

/// <summary>
/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78), as used by iSCSI, ext4 and SCTP (RFC 3720
/// appendix B.4). Initial value and final XOR are 0xFFFFFFFF, so the check value of "123456789" is 0xE3069283.
/// </summary>
/// <remarks>
/// Uses <see cref="BitOperations.Crc32C(uint, ulong)"/>, which maps to the SSE 4.2 / ARMv8 CRC instructions where the
/// CPU has them and to a software table elsewhere. Thread-safe (stateless).
/// </remarks>
internal static class Crc32C
{
    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>The running value before any byte.</summary>
    public const uint Start = 0xFFFF_FFFF;

    /// <summary>Folds <paramref name="data"/> into a running value obtained from <see cref="Start"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    /// <summary>Turns a running value into the final checksum.</summary>
    public static uint Finish(uint crc) => ~crc;
}
