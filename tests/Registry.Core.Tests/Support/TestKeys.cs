using System.Collections.Concurrent;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Core.Tests.Support;

/// <summary>Deterministic Ed25519 keys: the seed is 32 bytes of one value (0x01, 0x02, …), as in docs/PROTOCOL.md.</summary>
internal static class TestKeys
{
    private static readonly ConcurrentDictionary<byte, Ed25519SecretKey> s_keys = new();

    /// <summary>The key whose seed is 32 bytes of <paramref name="fill"/>. Cached for the test run; never disposed.</summary>
    public static Ed25519SecretKey Key(byte fill) => s_keys.GetOrAdd(fill, f => Ed25519SecretKey.FromSeed(Enumerable.Repeat(f, 32).ToArray()));

    public static Signer Signer(string id, byte fill) => new(id, Key(fill).PublicKey);

    /// <summary>The type 0x01 log vkey named <paramref name="name"/> (the test registry by default) whose seed is 32 bytes of <paramref name="fill"/>.</summary>
    public static Registry.Core.Transparency.NoteVerifierKey LogKey(byte fill, string name = Harness.RegistryId)
    {
        using var signer = Registry.Core.Transparency.NoteSigner.FromSeed(name, Enumerable.Repeat(fill, 32).ToArray());
        return signer.VerifierKey;
    }

    public static SignerSet Set(long version, int threshold, params (string Id, byte Fill)[] signers) =>
        SignerSet.Create(version, threshold, signers.Select(s => Signer(s.Id, s.Fill)));
}
