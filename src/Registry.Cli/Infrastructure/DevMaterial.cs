using System.Text;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Cli.Infrastructure;

/// <summary>
/// svc-registry's dev mode material, derived from the same PUBLIC seeds the service uses (its
/// Hosting/DevMaterial.cs; ronctl cannot reference the service): 2-of-3 signers <c>dev-signer-1..3</c>
/// and a token with every write scope. A test checks the service accepts both. Never for real data.
/// </summary>
internal static class DevMaterial
{
    public const string RootKeyId = "dev-root";

    public static readonly string[] AllScopes = ["registry:approve", "registry:commit", "registry:propose"];

    public static GenesisRecord Genesis(string registryId)
    {
        var signers = Enumerable.Range(1, 3).Select(n =>
        {
            using var key = SignerKeyDocument.DevKey(n);
            return new Signer($"dev-signer-{n}", key.PublicKey);
        });
        return new GenesisRecord(registryId, SignerSet.Create(1, 2, signers));
    }

    public static string Token() =>
        CapabilityToken.Mint(RootKeyId, Digest.Compute(Encoding.UTF8.GetBytes("svc-registry dev capability root key")).Bytes, "dev", AllScopes, 4_102_444_800);
}
