using System.Text;
using Registry.Api.Config;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Api.Hosting;

/// <summary>
/// Dev mode (no configuration file): a 2-of-3 signer set and a capability root key derived from fixed,
/// PUBLIC seeds (see docs/DEV-MODE.md — never use them for anything real), and a token with every
/// scope. Unless <c>--amnesia</c>, the keys, trust roots, capabilities file and token are also written to
/// <c>&lt;data_dir&gt;/dev/</c> for ronctl.
/// </summary>
public static class DevMaterial
{
    /// <summary>Id of the dev capability root key.</summary>
    public const string RootKeyId = "dev-root";

    /// <summary>The dev token's id.</summary>
    public const string TokenId = "dev";

    /// <summary>Every write scope.</summary>
    public static readonly string[] AllScopes = ["registry:approve", "registry:commit", "registry:propose"];

    /// <summary>The dev genesis for <paramref name="registryId"/>.</summary>
    public static GenesisRecord Genesis(string registryId)
    {
        var signers = Enumerable.Range(1, 3).Select(n =>
        {
            using var key = SignerKeyDocument.DevKey(n);
            return new Signer($"dev-signer-{n}", key.PublicKey);
        });
        return new GenesisRecord(registryId, SignerSet.Create(1, 2, signers));
    }

    /// <summary>The dev capability root key (32 bytes).</summary>
    public static byte[] RootKey() => Digest.Compute(Encoding.UTF8.GetBytes("svc-registry dev capability root key")).Bytes.ToArray();

    /// <summary>The dev keyring.</summary>
    public static CapabilityKeyring Keyring() => new([new CapabilityRootKey(RootKeyId, RootKey(), 0, null)], []);

    /// <summary>The dev token (every scope, valid until 2100).</summary>
    public static string Token() => CapabilityToken.Mint(RootKeyId, RootKey(), TokenId, AllScopes, 4_102_444_800);

    /// <summary>Writes the dev files (owner-only) into <paramref name="directory"/>; returns it.</summary>
    public static string Write(string directory, GenesisRecord genesis)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        Directory.CreateDirectory(directory);
        for (var n = 1; n <= 3; n++)
        {
            using var key = SignerKeyDocument.DevKey(n);
            WritePrivate(Path.Combine(directory, $"dev-signer-{n}.key"), SignerKeyDocument.Serialize($"dev-signer-{n}", key));
        }

        File.WriteAllBytes(Path.Combine(directory, "trust-roots.json"), genesis.ToTrustRootsDocument());
        WritePrivate(Path.Combine(directory, "capabilities.json"), Keyring().ToJson());
        WritePrivate(Path.Combine(directory, "dev.token"), Encoding.ASCII.GetBytes(Token() + "\n"));
        return directory;
    }

    private static void WritePrivate(string path, byte[] bytes)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        stream.Write(bytes);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
