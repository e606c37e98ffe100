using Registry.Core.Crypto;

namespace Registry.Core.Tests.Crypto;

/// <summary>
/// Ed25519 needs no machine package: NSec's libsodium comes with the build output (the libsodium NuGet package's
/// runtimes/&lt;rid&gt;/native), and that is the copy the process maps, whether or not Debian's libsodium23 is installed.
/// </summary>
public sealed class BundledLibsodiumTests
{
    [Fact]
    public void SignAndVerify_LoadLibsodiumFromTheBuildOutput_NotFromTheSystem()
    {
        using var key = Ed25519SecretKey.FromSeed(new byte[32]);
        Assert.True(key.PublicKey.Verify("m"u8, key.Sign("m"u8)));

        var mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libsodium", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var path = Assert.Single(mapped);
        Assert.StartsWith(AppContext.BaseDirectory, path, StringComparison.Ordinal);
    }
}
