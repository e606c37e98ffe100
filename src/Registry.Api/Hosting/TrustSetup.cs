using Registry.Api.Config;
using Registry.Configuration;
using Registry.Core.Auth;
using Registry.Core.Model;

namespace Registry.Api.Hosting;

/// <summary>Loads the genesis signer set and the capability keyring for the configured mode.</summary>
public static class TrustSetup
{
    /// <summary>The genesis record: from the pinned trust-roots file, or the dev set in dev mode.</summary>
    public static GenesisRecord LoadGenesis(LoadedConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var trust = config.Options.Trust;
        if (trust.TrustRootsFile.Length == 0)
        {
            return config.DevMode
                ? DevCredentials.Genesis(config.Options.Service.RegistryId)
                : throw new ConfigurationException("'trust.trust_roots_file' is required when a configuration file is used");
        }

        var bytes = File.ReadAllBytes(trust.TrustRootsFile);
        GenesisRecord genesis;
        Digest digest;
        try
        {
            genesis = GenesisRecord.FromTrustRoots(bytes);
            digest = GenesisRecord.TrustRootsDigest(bytes);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException($"trust roots '{trust.TrustRootsFile}' are invalid: {ex.Message}", ex);
        }

        if (trust.TrustRootsDigest.Length > 0 && trust.TrustRootsDigest != digest.ToString())
        {
            throw new ConfigurationException($"trust roots '{trust.TrustRootsFile}' have digest {digest}, but 'trust.trust_roots_digest' pins {trust.TrustRootsDigest}");
        }

        if (!config.DevMode && trust.TrustRootsDigest.Length == 0)
        {
            throw new ConfigurationException($"'trust.trust_roots_digest' is required; the file's digest is {digest}");
        }

        if (genesis.Registry != config.Options.Service.RegistryId)
        {
            throw new ConfigurationException($"trust roots are for registry '{genesis.Registry}', but 'service.registry_id' is '{config.Options.Service.RegistryId}'");
        }

        return genesis;
    }

    /// <summary>The capability keyring: from the capabilities file, or the dev keyring in dev mode.</summary>
    public static CapabilityKeyring LoadKeyring(LoadedConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var path = config.Options.Auth.CapabilitiesFile;
        if (path.Length == 0)
        {
            return config.DevMode
                ? DevCredentials.Keyring()
                : throw new ConfigurationException("'auth.capabilities_file' is required when a configuration file is used (create one with 'ronctl cap rotate --file PATH')");
        }

        try
        {
            return CapabilityKeyring.Parse(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is FormatException or IOException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ConfigurationException($"capabilities file '{path}' is invalid: {ex.Message}", ex);
        }
    }
}
