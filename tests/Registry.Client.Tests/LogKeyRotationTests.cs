using System.Security.Cryptography;
using Registry.Client.Tests.Support;
using Registry.Client.Verification;
using Registry.Core.Transparency;
using Registry.Testing;

namespace Registry.Client.Tests;

/// <summary>
/// The SDK across a log key rotation (docs/PROTOCOL.md §12.14), against a real process: a verifier holding only the
/// old trust roots (the dev genesis and the old log key) follows the chain's set_log_key commit and verifies a bundle
/// signed by the new key; without a follower the new key is refused; and once the rotation is followed, a checkpoint
/// signed by the replaced key, or by a key the chain never named, is refused.
/// </summary>
public sealed class LogKeyRotationTests
{
    private const string RegistryId = "ron-dev";

    [Fact]
    public async Task VerifyDescriptor_AfterARotation_FollowsTheChainToTheNewKey()
    {
        var (oldSeed, oldKey, oldPath) = KeyFile();
        var (_, newKey, newPath) = KeyFile();
        var env = new Dictionary<string, string>
        {
            ["SVCR_TRUST__LOG_KEY"] = oldKey.ToString(),
            ["SVCR_TRUST__LOG_KEY_FILE"] = oldPath,
            ["SVCR_TRUST__NEXT_LOG_KEY_FILE"] = newPath,
        };
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var client = new RegistryClient(service.Api, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{service.ApiPort}"), Token = Dev.Token });
        await Dev.CommitAsync(client, Dev.Region("region:eu"));

        using var follower = new LogKeyFollower(Dev.Genesis());
        var verifier = new TransparencyVerifier(RegistryId, oldKey) { Follower = follower };
        var plain = new TransparencyVerifier(RegistryId, oldKey);
        Assert.True((await client.VerifyDescriptorAsync("region:eu", verifier)).Ok);
        Assert.True((await client.VerifyDescriptorAsync("region:eu", plain)).Ok);

        var rotatedAt = await Dev.CommitAsync(client, $"{{\"op\":\"set_log_key\",\"log_key\":\"{newKey}\"}}");
        await Dev.CommitAsync(client, Dev.Region("region:us"));

        var refused = await client.VerifyDescriptorAsync("region:us", plain);
        Assert.Equal(BundleRefusal.BadLogSignature, refused.Reason);
        Assert.Equal(oldKey.ToString(), plain.LogKey.ToString());

        // The follower has verified past the rotation while the verifier still holds the old key: a checkpoint beyond
        // the rotation signed by the replaced key (as whoever holds it after a compromise can sign) is refused, though
        // the verifier holds that key; the chain it verified says the new key is in force there.
        var current = await client.GetProofBundleAsync("region:us", verifier.Checkpoints.Newest!.Size);
        Assert.True(SignedNote.TryParse(System.Text.Encoding.UTF8.GetBytes(current.Checkpoint), out var currentNote));
        Assert.True(Checkpoint.TryParse(currentNote.Text, out var currentCheckpoint));
        Assert.Null(await follower.FollowAsync(client.ReadLogAsync(follower.Version + 1, currentCheckpoint.Size - 1), currentCheckpoint.Size - 1));
        using (var replaced = NoteSigner.FromSeed(RegistryId, oldSeed))
        {
            var stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var byOldKey = current with { Checkpoint = replaced.SignNote(currentNote.Text).With(replaced.Cosign(currentNote.Text, stamp)).ToString() };
            var stale = verifier.Verify(byOldKey);
            Assert.Equal(BundleRefusal.BadLogSignature, stale.Reason);
            Assert.Contains("puts in force at version " + (currentCheckpoint.Size - 1), stale.Error, StringComparison.Ordinal);
            Assert.Equal(oldKey.ToString(), verifier.LogKey.ToString());
        }

        var followed = await client.VerifyDescriptorAsync("region:us", verifier);
        Assert.True(followed.Ok, followed.Error);
        Assert.Equal(rotatedAt + 2, followed.Checkpoint!.Size);
        Assert.Equal(newKey.ToString(), verifier.LogKey.ToString());
        Assert.Equal([(rotatedAt, newKey.ToString())], follower.Rotations.Select(r => (r.Version, r.Key.ToString())));

        // The next commit: the held key verifies at once, without following.
        await Dev.CommitAsync(client, Dev.Region("region:ap"));
        var bundle = await client.GetProofBundleAsync("region:ap", verifier.Checkpoints.Newest!.Size);
        Assert.True(verifier.Verify(bundle).Ok);

        // The same checkpoint text signed by the replaced key, or by a key the chain never named: refused.
        await Dev.CommitAsync(client, Dev.Region("region:sa"));
        var next = await client.GetProofBundleAsync("region:sa", verifier.Checkpoints.Newest!.Size);
        Assert.True(SignedNote.TryParse(System.Text.Encoding.UTF8.GetBytes(next.Checkpoint), out var served));
        using var old = NoteSigner.FromSeed(RegistryId, oldSeed);
        using var stranger = NoteSigner.Generate(RegistryId);
        var time = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.True(Checkpoint.TryParse(served.Text, out var checkpoint));
        Assert.Null(await follower.FollowAsync(client.ReadLogAsync(follower.Version + 1, checkpoint.Size - 1), checkpoint.Size - 1));
        foreach (var signer in new[] { old, stranger })
        {
            var forged = next with { Checkpoint = signer.SignNote(served.Text).With(signer.Cosign(served.Text, time)).ToString() };
            var result = verifier.Verify(forged);
            Assert.Equal(BundleRefusal.BadLogSignature, result.Reason);
            Assert.Contains("the log key the verified chain puts in force at version " + (checkpoint.Size - 1), result.Error, StringComparison.Ordinal);
        }

        Assert.True(verifier.Verify(next).Ok);
    }

    private static (byte[] Seed, NoteVerifierKey Key, string Path) KeyFile()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-tlog-key-").FullName, "tlog.key");
        File.WriteAllText(path, NoteSigner.FormatPrivateKey(RegistryId, seed) + "\n");
        using var signer = NoteSigner.FromSeed(RegistryId, seed);
        return (seed, signer.VerifierKey, path);
    }
}
