// libsodium interop (https://doc.libsodium.org), source-generated with LibraryImport.
// Only the handful of functions Ed25519 needs: init, guarded allocation for secret keys, and the
// crypto_sign_* detached API (RFC 8032 pure Ed25519). libsodium's verifier rejects non-canonical
// S (S >= L), small-order and non-canonical R/A encodings, which is what Wycheproof expects.
using System.Reflection;
using System.Runtime.InteropServices;

namespace Registry.Core.Crypto;

internal static partial class Sodium
{
    private const string LibraryName = "sodium";

    public const int PublicKeyBytes = 32;
    public const int SecretKeyBytes = 64;
    public const int SeedBytes = 32;
    public const int SignatureBytes = 64;

    private static readonly string[] s_candidates = ["libsodium.so.23", "libsodium.so", "libsodium.dylib", "libsodium"];
    private static readonly Lazy<SodiumUnavailableException?> s_initError = new(InitializeCore);

    static Sodium() => NativeLibrary.SetDllImportResolver(typeof(Sodium).Assembly, Resolve);

    /// <summary>Loads and initialises libsodium once; throws <see cref="SodiumUnavailableException"/> if it is missing.</summary>
    public static void EnsureInitialized()
    {
        if (s_initError.Value is { } error)
        {
            throw error;
        }
    }

    private static SodiumUnavailableException? InitializeCore()
    {
        try
        {
            return sodium_init() < 0 ? new SodiumUnavailableException() : null;
        }
        catch (DllNotFoundException ex)
        {
            return new SodiumUnavailableException(ex);
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return IntPtr.Zero;
        }

        foreach (var candidate in s_candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    [LibraryImport(LibraryName)]
    private static partial int sodium_init();

    [LibraryImport(LibraryName)]
    internal static partial IntPtr sodium_malloc(nuint size);

    [LibraryImport(LibraryName)]
    internal static partial void sodium_free(IntPtr ptr);

    [LibraryImport(LibraryName)]
    internal static partial void sodium_memzero(ref byte pnt, nuint len);

    [LibraryImport(LibraryName)]
    internal static partial int crypto_sign_ed25519_seed_keypair(ref byte pk, IntPtr sk, ref byte seed);

    [LibraryImport(LibraryName)]
    internal static partial int crypto_sign_ed25519_detached(ref byte sig, out ulong siglen, ref byte m, ulong mlen, IntPtr sk);

    [LibraryImport(LibraryName)]
    internal static partial int crypto_sign_ed25519_verify_detached(ref byte sig, ref byte m, ulong mlen, ref byte pk);

    [LibraryImport(LibraryName)]
    internal static partial int crypto_sign_ed25519_sk_to_seed(ref byte seed, IntPtr sk);

    [LibraryImport(LibraryName)]
    internal static partial void randombytes_buf(ref byte buf, nuint size);
}
