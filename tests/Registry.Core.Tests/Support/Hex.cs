namespace Registry.Core.Tests.Support;

/// <summary>Hex helpers for vector files (lowercase, empty string = zero bytes).</summary>
internal static class Hex
{
    public static byte[] Decode(string hex) => Convert.FromHexString(hex);

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
