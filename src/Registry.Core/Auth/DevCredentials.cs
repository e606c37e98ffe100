using System.Text;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Core.Auth;

/// <summary>
/// The development-mode credentials, derived from fixed PUBLIC strings (docs/DEV-MODE.md): a 2-of-3 signer
/// set <c>dev-signer-1..3</c> (seeds from <see cref="SignerKeyDocument.DevKey"/>), a capability root key, and a
/// token with every scope (the three write scopes and <c>registry:admin</c>). One definition shared by the service (which writes them to its data
/// directory) and ronctl (which reproduces them). Never for real data. Stateless; thread-safe.
/// </summary>
public static class DevCredentials
{
    /// <summary>Id of the dev capability root key.</summary>
    public const string RootKeyId = "dev-root";

    /// <summary>The dev token's id.</summary>
    public const string TokenId = "dev";

    /// <summary>Every scope: the write scopes and <c>registry:admin</c> (the admin listener's backup and chaos endpoints).</summary>
    public static readonly IReadOnlyList<string> AllScopes = ["registry:admin", "registry:approve", "registry:commit", "registry:propose"];

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

    /// <summary>The dev capability root key (32 bytes): SHA-256("svc-registry dev capability root key").</summary>
    public static byte[] RootKey() => Digest.Compute(Encoding.UTF8.GetBytes("svc-registry dev capability root key")).Bytes.ToArray();

    /// <summary>The dev keyring.</summary>
    public static CapabilityKeyring Keyring() => new([new CapabilityRootKey(RootKeyId, RootKey(), 0, null)], []);

    /// <summary>The dev token (every scope, valid until 2100).</summary>
    public static string Token() => CapabilityToken.Mint(RootKeyId, RootKey(), TokenId, AllScopes, 4_102_444_800);
}
