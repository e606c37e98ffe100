// SHA-256 for the registry's many small hashes (a state tree node is 65 bytes; a commit touches ~150).
// The BCL's SHA256 goes through OpenSSL's EVP layer, whose per-call set-up (~250 ns here) costs several
// times the hashing itself. OpenSSL's low-level SHA256_Init/Update/Final (deprecated since 3.0 but still
// exported by libcrypto.so.3 and .so.1.1, and using the same SHA-NI/AVX code) skip that layer: ~80 ns for
// 65 bytes instead of ~340 ns. They are used only when found and when they agree with the BCL on known
// inputs at start-up; otherwise every hash goes through one reusable IncrementalHash per thread.
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Registry.Core.Crypto;

/// <summary>SHA-256 with as little per-call overhead as the platform allows. Thread-safe.</summary>
internal static unsafe class Sha256
{
    // sizeof(SHA256_CTX) is 112 bytes in OpenSSL 1.1 and 3.x; the buffer leaves room to spare.
    private const int ContextBytes = 256;

    private static readonly Functions? s_native = LoadNative();

    [ThreadStatic]
    private static IncrementalHash? s_threadHash;

    /// <summary>True when the low-level libcrypto functions are in use (for diagnostics and tests).</summary>
    public static bool UsesLowLevelLibcrypto => s_native is not null;

    /// <summary>Writes SHA-256(<paramref name="data"/>) into the 32-byte <paramref name="destination"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < 32)
        {
            throw new ArgumentException("A SHA-256 digest needs 32 bytes.", nameof(destination));
        }

        if (s_native is { } native)
        {
            HashNative(native, data, destination);
        }
        else
        {
            HashManaged(data, destination);
        }
    }

    internal static void HashManaged(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        // The context lives as long as its thread; IncrementalHash's SafeHandle frees it after that.
        var hash = s_threadHash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(data);
        _ = hash.GetHashAndReset(destination);
    }

    private static void HashNative(Functions native, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var context = stackalloc byte[ContextBytes];
        fixed (byte* input = data)
        fixed (byte* output = destination)
        {
            // The functions return 1 on success and cannot fail for in-memory input; checked anyway.
            var ok = native.Init(context) == 1
                && native.Update(context, input, (nuint)data.Length) == 1
                && native.Final(output, context) == 1;
            if (!ok)
            {
                throw new CryptographicException("libcrypto SHA256_* failed.");
            }
        }
    }

    private static Functions? LoadNative()
    {
        foreach (var name in new[] { "libcrypto.so.3", "libcrypto.so.1.1" })
        {
            if (!NativeLibrary.TryLoad(name, out var library))
            {
                continue;
            }

            if (NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                && NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                && NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                var functions = new Functions(
                    (delegate* unmanaged<byte*, int>)init,
                    (delegate* unmanaged<byte*, byte*, nuint, int>)update,
                    (delegate* unmanaged<byte*, byte*, int>)final);
                if (AgreesWithBcl(functions))
                {
                    return functions;
                }
            }
        }

        return null;
    }

    // Known-answer check against the BCL on lengths around the block and padding boundaries.
    private static bool AgreesWithBcl(Functions native)
    {
        Span<byte> expected = stackalloc byte[32];
        Span<byte> actual = stackalloc byte[32];
        var input = new byte[200];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = unchecked((byte)((i * 31) + 7));
        }

        foreach (var length in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 128, 200 })
        {
            SHA256.HashData(input.AsSpan(0, length), expected);
            try
            {
                HashNative(native, input.AsSpan(0, length), actual);
            }
            catch (CryptographicException)
            {
                return false;
            }

            if (!actual.SequenceEqual(expected))
            {
                return false;
            }
        }

        return true;
    }

    private sealed class Functions(
        delegate* unmanaged<byte*, int> init,
        delegate* unmanaged<byte*, byte*, nuint, int> update,
        delegate* unmanaged<byte*, byte*, int> final)
    {
        public int Init(byte* context) => init(context);

        public int Update(byte* context, byte* data, nuint length) => update(context, data, length);

        public int Final(byte* digest, byte* context) => final(digest, context);
    }
}
