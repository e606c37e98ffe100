using Registry.Core.Auth;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Api.Tests.Support;

/// <summary>
/// A TOML configuration in a fresh temporary directory for a test that needs a real file (SIGHUP reloads it, or it
/// sets what no flag can): in memory, the dev trust roots and capabilities written beside it, plus any extra sections.
/// </summary>
/// <param name="Directory">The directory (also fine as the service's data directory: nothing is written with amnesia).</param>
/// <param name="Path">The configuration file.</param>
/// <param name="Text">What it holds, to append to and write again before a SIGHUP.</param>
/// <param name="CapabilitiesFile">The capabilities file it names.</param>
internal sealed record DevConfigFile(string Directory, string Path, string Text, string CapabilitiesFile)
{
    /// <summary>The arguments that start a service on this file.</summary>
    public string[] Args => ["--config", Path];

    /// <summary>Writes the trust roots, the capabilities and the file: <c>[service]</c> (amnesia, and the registry id unless it is the dev one), <c>[trust]</c>, <c>[auth]</c>, then <paramref name="sections"/>.</summary>
    public static async Task<DevConfigFile> WriteAsync(string prefix, string sections = "", string registryId = "ron-dev")
    {
        var dir = System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
        var genesis = DevCredentials.Genesis(registryId);
        var roots = System.IO.Path.Combine(dir, "trust-roots.json");
        await File.WriteAllBytesAsync(roots, genesis.ToTrustRootsDocument());
        var capabilities = System.IO.Path.Combine(dir, "capabilities.json");
        await File.WriteAllBytesAsync(capabilities, DevCredentials.Keyring().ToJson());
        var id = registryId == "ron-dev" ? string.Empty : $"registry_id = \"{registryId}\"\n";
        var text = $"[service]\n{id}amnesia = true\n[trust]\ntrust_roots_file = \"{roots}\"\ntrust_roots_digest = \"{GenesisRecord.TrustRootsDigest(genesis.ToTrustRootsDocument())}\"\n[auth]\ncapabilities_file = \"{capabilities}\"\n" + sections;
        var config = System.IO.Path.Combine(dir, "svc-registry.toml");
        await File.WriteAllTextAsync(config, text);
        return new DevConfigFile(dir, config, text, capabilities);
    }
}
