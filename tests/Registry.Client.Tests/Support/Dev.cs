using System.Text;
using Registry.Core.Auth;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Client.Tests.Support;

/// <summary>svc-registry's public dev-mode material (its Hosting/DevMaterial.cs): 2-of-3 dev signers and the dev token.</summary>
internal static class Dev
{
    public const string TokenPlaceholder = "<dev token>";

    public static readonly string Token = CapabilityToken.Mint(
        "dev-root",
        Digest.Compute(Encoding.UTF8.GetBytes("svc-registry dev capability root key")).Bytes,
        "dev",
        ["registry:admin", "registry:approve", "registry:commit", "registry:propose"],
        4_102_444_800);

    public static Ed25519SecretKey Key(int n) => SignerKeyDocument.DevKey(n);

    public static GenesisRecord Genesis(string registry = "ron-dev") =>
        new(registry, SignerSet.Create(1, 2, Enumerable.Range(1, 3).Select(n =>
        {
            using var key = Key(n);
            return new Signer($"dev-signer-{n}", key.PublicKey);
        })));

    public static string Region(string id, string name = "Region") =>
        "{\"op\":\"put\",\"descriptor\":{\"kind\":\"region\",\"id\":\"" + id + "\",\"attrs\":{\"name\":\"" + name + "\"}}}";

    public static string Node(string id, string region, string addr = "10.0.0.1:7000") =>
        "{\"op\":\"put\",\"descriptor\":{\"kind\":\"node\",\"id\":\"" + id + "\",\"attrs\":{\"addr\":\"" + addr + "\",\"region\":\"" + region + "\"}}}";

    /// <summary>A proposal document on HEAD (the client fills nothing in; registry and expiry come from the server).</summary>
    public static async Task<byte[]> ProposalAsync(RegistryClient client, params string[] changes)
    {
        var head = await client.GetHeadAsync();
        return Encoding.UTF8.GetBytes($$"""{"base_version":{{head.Version}},"base_hash":"{{head.Hash}}","changes":[{{string.Join(",", changes)}}],"note":"test"}""");
    }

    /// <summary>propose, approvals by dev signers 1 and 2, commit; returns the new version.</summary>
    public static async Task<long> CommitAsync(RegistryClient client, params string[] changes)
    {
        var receipt = await client.ProposeAsync(await ProposalAsync(client, changes));
        foreach (var n in new[] { 1, 2 })
        {
            using var key = Key(n);
            await client.SignAndApproveAsync(receipt.ProposalId, $"dev-signer-{n}", key);
        }

        return (await client.CommitAsync(receipt.ProposalId)).Version;
    }
}
