using System.Text;
using Registry.Configuration;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Api.Hosting;

/// <summary>
/// Dev mode (no configuration file) uses <see cref="DevCredentials"/>; unless <c>--amnesia</c>, the keys,
/// trust roots, capabilities file and token are also written to <c>&lt;data_dir&gt;/dev/</c> for ronctl.
/// </summary>
public static class DevMaterial
{
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
        WritePrivate(Path.Combine(directory, "capabilities.json"), DevCredentials.Keyring().ToJson());
        WritePrivate(Path.Combine(directory, "dev.token"), Encoding.ASCII.GetBytes(DevCredentials.Token() + "\n"));
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
