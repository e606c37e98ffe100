using System.Security.Cryptography;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.LoadTest.Setup;

/// <summary>
/// The run's own signing material, generated fresh each run: five Ed25519 signer keys with threshold 3, the
/// trust roots (genesis) they form, a capability root key and a token with every write scope. Written to files
/// the service's TOML configuration names, exactly as an operator would deploy them (not dev mode).
/// </summary>
public sealed class TrustMaterial : IDisposable
{
    /// <summary>The registry id of the perf deployment.</summary>
    public const string RegistryId = "ron-perf";

    /// <summary>Signers in the set.</summary>
    public const int Signers = 5;

    /// <summary>Approvals a commit needs.</summary>
    public const int Threshold = 3;

    private const string RootKeyId = "perf-root";

    private readonly Ed25519SecretKey[] _keys;

    private TrustMaterial(Ed25519SecretKey[] keys, GenesisRecord genesis, byte[] rootKey)
    {
        _keys = keys;
        Genesis = genesis;
        Token = CapabilityToken.Mint(RootKeyId, rootKey, "perf", ["registry:approve", "registry:commit", "registry:propose"], DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());
        Keyring = new CapabilityKeyring([new CapabilityRootKey(RootKeyId, rootKey, 0, null)], []);
    }

    /// <summary>The genesis record (version 0) of the perf registry.</summary>
    public GenesisRecord Genesis { get; }

    /// <summary>A bearer token with propose, approve and commit.</summary>
    public string Token { get; }

    /// <summary>The capability keyring the service checks <see cref="Token"/> against.</summary>
    public CapabilityKeyring Keyring { get; }

    /// <summary>Signer ids, 1-based: perf-signer-1..5.</summary>
    public static string SignerId(int n) => $"perf-signer-{n}";

    /// <summary>Generates fresh keys.</summary>
    public static TrustMaterial Generate()
    {
        var keys = Enumerable.Range(0, Signers).Select(_ => Ed25519SecretKey.Generate()).ToArray();
        var set = SignerSet.Create(1, Threshold, keys.Select((k, i) => new Signer(SignerId(i + 1), k.PublicKey)));
        return new TrustMaterial(keys, new GenesisRecord(RegistryId, set), RandomNumberGenerator.GetBytes(32));
    }

    /// <summary>An approval of <paramref name="proposalId"/> by signer <paramref name="n"/> (1-based).</summary>
    public Approval Approve(int n, Digest proposalId) => Approval.Sign(SignerId(n), _keys[n - 1], proposalId);

    /// <summary>The approval request body <c>{"algo","sig","signer_id"}</c>.</summary>
    public string ApprovalJson(int n, Digest proposalId)
    {
        var approval = Approve(n, proposalId);
        return $$"""{"algo":"ed25519","sig":"{{Convert.ToBase64String(approval.Signature)}}","signer_id":"{{approval.SignerId}}"}""";
    }

    /// <summary>The public key of signer <paramref name="n"/>.</summary>
    public Ed25519PublicKey PublicKey(int n) => _keys[n - 1].PublicKey;

    /// <summary>Writes trust roots, capabilities file and config into <paramref name="directory"/>; returns the config path.</summary>
    public string WriteConfig(string directory)
    {
        Directory.CreateDirectory(directory);
        var trustRoots = Path.Combine(directory, "trust-roots.json");
        var document = Genesis.ToTrustRootsDocument();
        File.WriteAllBytes(trustRoots, document);
        var capabilities = Path.Combine(directory, "capabilities.json");
        File.WriteAllBytes(capabilities, Keyring.ToJson());
        File.SetUnixFileMode(capabilities, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var config = Path.Combine(directory, "svc-registry.toml");
        // Listen addresses come from REGISTRY_ADDR / METRICS_ADDR per start; the data directory from --data-dir.
        // Everything else is the default a deployment gets (history_window 1024, checkpoints, limits).
        File.WriteAllText(config, $"""
            # Written by perf/Registry.LoadTest for one harness run.
            [service]
            registry_id = "{RegistryId}"

            [trust]
            trust_roots_file = "{trustRoots}"
            trust_roots_digest = "{GenesisRecord.TrustRootsDigest(document)}"

            [auth]
            capabilities_file = "{capabilities}"

            """);
        return config;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}
