// SHA-256 (FIPS 180-4) for the registry's many small hashes (a state tree node is 65 bytes; a commit touches ~150),
// from the BCL. One IncrementalHash per thread is reused: it keeps its OpenSSL digest context between calls, where
// the one-shot SHA256.HashData sets one up (and fetches the algorithm) on every call.
using System.Security.Cryptography;

namespace Registry.Core.Crypto;

/// <summary>SHA-256 over the BCL with one reusable hash context per thread. Thread-safe.</summary>
internal static class Sha256
{
    /// <summary>Bytes in a digest.</summary>
    public const int Size = 32;

    [ThreadStatic]
    private static IncrementalHash? s_threadHash;

    /// <summary>Writes SHA-256(<paramref name="data"/>) into the first 32 bytes of <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("A SHA-256 digest needs 32 bytes.", nameof(destination));
        }

        // The context lives as long as its thread; IncrementalHash's SafeHandle frees it after that.
        var hash = s_threadHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(data);
        _ = hash.GetHashAndReset(destination);
    }
}
