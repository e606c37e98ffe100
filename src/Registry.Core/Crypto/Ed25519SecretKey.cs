using System.Runtime.InteropServices;

namespace Registry.Core.Crypto;

/// <summary>
/// An Ed25519 secret key held in libsodium guarded memory (<c>sodium_malloc</c>: guard pages, no swap),
/// zeroed and freed when disposed.
/// </summary>
/// <remarks>Thread-safe for concurrent signing; disposal must not race with use (SafeHandle reference counting guards it).</remarks>
public sealed class Ed25519SecretKey : SafeHandle
{
    /// <summary>An empty (invalid) handle; use <see cref="FromSeed"/> or <see cref="Generate"/>.</summary>
    public Ed25519SecretKey()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <summary>The public half of this key.</summary>
    public Ed25519PublicKey PublicKey { get; private set; }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Derives the key pair from a 32-byte RFC 8032 seed (the "private key" of RFC 8032 §5.1.5).</summary>
    public static Ed25519SecretKey FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Sodium.SeedBytes)
        {
            throw new ArgumentException($"An Ed25519 seed is {Sodium.SeedBytes} bytes, not {seed.Length}.", nameof(seed));
        }

        Sodium.EnsureInitialized();
        var key = new Ed25519SecretKey();
        var memory = Sodium.sodium_malloc(Sodium.SecretKeyBytes);
        if (memory == IntPtr.Zero)
        {
            throw new InvalidOperationException("sodium_malloc failed to allocate guarded memory for an Ed25519 secret key.");
        }

        key.SetHandle(memory);
        Span<byte> publicKey = stackalloc byte[Sodium.PublicKeyBytes];
        Span<byte> seedCopy = stackalloc byte[Sodium.SeedBytes];
        seed.CopyTo(seedCopy);
        try
        {
            _ = Sodium.crypto_sign_ed25519_seed_keypair(ref MemoryMarshal.GetReference(publicKey), memory, ref MemoryMarshal.GetReference(seedCopy));
        }
        finally
        {
            Sodium.sodium_memzero(ref MemoryMarshal.GetReference(seedCopy), (nuint)seedCopy.Length);
        }

        key.PublicKey = new Ed25519PublicKey(publicKey);
        return key;
    }

    /// <summary>Generates a fresh key from libsodium's CSPRNG.</summary>
    public static Ed25519SecretKey Generate()
    {
        Sodium.EnsureInitialized();
        Span<byte> seed = stackalloc byte[Sodium.SeedBytes];
        try
        {
            Sodium.randombytes_buf(ref MemoryMarshal.GetReference(seed), (nuint)seed.Length);
            return FromSeed(seed);
        }
        finally
        {
            Sodium.sodium_memzero(ref MemoryMarshal.GetReference(seed), (nuint)seed.Length);
        }
    }

    /// <summary>Copies the 32-byte seed out, for writing a key file. The caller owns (and should zero) the buffer.</summary>
    public void ExportSeed(Span<byte> destination)
    {
        if (destination.Length != Sodium.SeedBytes)
        {
            throw new ArgumentException($"The seed buffer must be {Sodium.SeedBytes} bytes.", nameof(destination));
        }

        var added = false;
        DangerousAddRef(ref added);
        try
        {
            _ = Sodium.crypto_sign_ed25519_sk_to_seed(ref MemoryMarshal.GetReference(destination), handle);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>Signs <paramref name="message"/> into the 64-byte <paramref name="signature"/> (RFC 8032, deterministic).</summary>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        if (signature.Length != Sodium.SignatureBytes)
        {
            throw new ArgumentException($"An Ed25519 signature is {Sodium.SignatureBytes} bytes.", nameof(signature));
        }

        ObjectDisposedException.ThrowIf(IsClosed, this);
        SignCore(message, signature);
    }

    /// <summary>Signs <paramref name="message"/> and returns the 64-byte signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Sodium.SignatureBytes];
        Sign(message, signature);
        return signature;
    }

    private void SignCore(ReadOnlySpan<byte> message, Span<byte> signature)
    {
        var added = false;
        DangerousAddRef(ref added);
        try
        {
            _ = Sodium.crypto_sign_ed25519_detached(
                ref MemoryMarshal.GetReference(signature),
                out _,
                ref MemoryMarshal.GetReference(message),
                (ulong)message.Length,
                handle);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        // sodium_free zeroes the region before unmapping it.
        Sodium.sodium_free(handle);
        return true;
    }
}
