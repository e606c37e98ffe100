using System.Net;
using System.Security.Cryptography;
using Registry.Client.Tests.Support;
using Registry.Client.Verification;
using Registry.Core.Transparency;
using Registry.Testing;

namespace Registry.Client.Tests;

/// <summary>
/// Proof bundles (<c>GET /registry/descriptors/{id}?proof=full</c>) from real processes, verified by the SDK against
/// the pinned log key: accepted as served and as the log grows (with a consistency proof from the trusted size);
/// refused after any single byte is changed; refused, with the reason, when a second process signing with the same key
/// shows a different history (split view), a smaller tree (rollback) or a larger tree that does not extend the trusted
/// one.
/// </summary>
public sealed class ProofBundleTests
{
    private const string RegistryId = "ron-dev";

    [Fact]
    public async Task VerifyDescriptor_AsTheLogGrows_AcceptsEachBundleAndAdvancesTheTrustedCheckpoint()
    {
        var (env, vkey, _) = LogKey();
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var client = ClientOf(service);
        await Dev.CommitAsync(client, Dev.Region("region:eu"));
        var verifier = new TransparencyVerifier(RegistryId, vkey);

        var first = await client.VerifyDescriptorAsync("region:eu", verifier);
        Assert.True(first.Ok, first.Error);
        Assert.Equal("region:eu", first.Descriptor!.Id);
        Assert.Equal(2, first.Checkpoint!.Size);
        Assert.InRange(first.SignedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));

        await Dev.CommitAsync(client, Dev.Region("region:us"));
        await Dev.CommitAsync(client, Dev.Node("node:eu-1", "region:eu"));
        var bundle = await client.GetProofBundleAsync("region:eu", since: 2);
        Assert.Equal(2, bundle.ConsistencyFrom);
        Assert.NotEmpty(bundle.ConsistencyProof);
        var grown = verifier.Verify(bundle);
        Assert.True(grown.Ok, grown.Error);
        Assert.Equal(4, verifier.Checkpoints.Newest!.Size);

        // The same size again is fine; the bundle without a consistency proof from the trusted size is not, once larger.
        Assert.True(verifier.Verify(await client.GetProofBundleAsync("node:eu-1", since: 4)).Ok);
        await Dev.CommitAsync(client, Dev.Region("region:ap"));
        var unproven = verifier.Verify(await client.GetProofBundleAsync("region:eu"));
        Assert.False(unproven.Ok);
        Assert.Contains("no consistency proof from the trusted size 4", unproven.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetProofBundle_AskedAgainAfterACommitChangedTheDescriptor_ServesTheNewDescriptorUnderTheNewCheckpoint()
    {
        // The service keeps each bundle's bytes while one checkpoint is served: asking again must not outlive it.
        var (env, vkey, _) = LogKey();
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var client = ClientOf(service);
        await Dev.CommitAsync(client, Dev.Region("region:eu", "Before"));
        var verifier = new TransparencyVerifier(RegistryId, vkey);
        for (var i = 0; i < 3; i++)
        {
            var same = await client.VerifyDescriptorAsync("region:eu", verifier);
            Assert.True(same.Ok, same.Error);
            Assert.Equal(2, same.Checkpoint!.Size);
            Assert.Contains("\"Before\"", System.Text.Encoding.UTF8.GetString(same.Descriptor!.CanonicalBytes), StringComparison.Ordinal);
        }

        await Dev.CommitAsync(client, Dev.Region("region:eu", "After"));
        var changed = verifier.Verify(await client.GetProofBundleAsync("region:eu", since: 2));
        Assert.True(changed.Ok, changed.Error);
        Assert.Equal(3, changed.Checkpoint!.Size);
        Assert.Contains("\"After\"", System.Text.Encoding.UTF8.GetString(changed.Descriptor!.CanonicalBytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_AnyByteOfTheBundleChanged_IsRefused()
    {
        var (env, vkey, _) = LogKey();
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var client = ClientOf(service);
        await Dev.CommitAsync(client, Dev.Region("region:eu"));
        Assert.True(Checkpoint.TryParse((await client.GetCheckpointAsync()).Text, out var atTwo));
        await Dev.CommitAsync(client, Dev.Node("node:eu-1", "region:eu"));
        using var response = await service.Api.GetAsync("/registry/descriptors/node:eu-1?proof=full&since=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        // Each verifier trusts the checkpoint of size 2, as the client that asked since=2 does.
        TransparencyVerifier Verifier() => new(RegistryId, vkey, new TrustedCheckpoints(atTwo));
        var trusted = Verifier().Verify(bytes);
        Assert.True(trusted.Ok, trusted.Error);
        Assert.Equal(3, trusted.Checkpoint!.Size);

        for (var i = 0; i < bytes.Length; i++)
        {
            foreach (var bit in new[] { 0x01, 0x20 })
            {
                var tampered = (byte[])bytes.Clone();
                tampered[i] ^= (byte)bit;
                var result = Verifier().Verify(tampered);
                Assert.False(result.Ok, $"byte {i} ^ 0x{bit:x2} ('{(char)bytes[i]}' -> '{(char)tampered[i]}') still verified");
            }
        }
    }

    [Fact]
    public async Task Verify_ALogThatRewroteHistory_IsRefusedAsSplitViewRollbackOrInconsistent()
    {
        var (env, vkey, _) = LogKey();
        var verifier = new TransparencyVerifier(RegistryId, vkey);
        ProofBundle older;
        await using (var honest = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env))
        {
            var client = ClientOf(honest);
            await Dev.CommitAsync(client, Dev.Region("region:eu"));
            older = await client.GetProofBundleAsync("region:eu");
            await Dev.CommitAsync(client, Dev.Region("region:us"));
            var trusted = await client.VerifyDescriptorAsync("region:eu", verifier);
            Assert.True(trusted.Ok, trusted.Error);
            Assert.Equal(3, verifier.Checkpoints.Newest!.Size);
        }

        // The same log key, another history: version 1 holds a different record.
        await using var forked = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var fork = ClientOf(forked);
        await Dev.CommitAsync(fork, Dev.Region("region:eu", "Elsewhere"));
        await Dev.CommitAsync(fork, Dev.Region("region:us"));
        var split = await fork.VerifyDescriptorAsync("region:eu", verifier);
        Assert.False(split.Ok);
        Assert.StartsWith("split view", split.Error, StringComparison.Ordinal);

        var rollback = verifier.Verify(older);
        Assert.False(rollback.Ok);
        Assert.StartsWith("rollback", rollback.Error, StringComparison.Ordinal);

        await Dev.CommitAsync(fork, Dev.Region("region:ap"));
        var inconsistent = await fork.VerifyDescriptorAsync("region:eu", verifier);
        Assert.False(inconsistent.Ok);
        Assert.StartsWith("inconsistent", inconsistent.Error, StringComparison.Ordinal);
        Assert.Equal(3, verifier.Checkpoints.Newest!.Size);
    }

    [Fact]
    public async Task WatchAsync_WithOnCheckpoint_HandsOverEachSignedCheckpointAndStillYieldsEveryCommitOnce()
    {
        var (env, vkey, _) = LogKey();
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var client = ClientOf(service);
        var reached = new TaskCompletionSource<SignedNote>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new WatchOptions
        {
            OnCheckpoint = note =>
            {
                if (Checkpoint.TryParse(note.Text, out var checkpoint) && checkpoint.Size == 3)
                {
                    reached.TrySetResult(note);
                }
            },
        };
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var versions = new List<long>();
        var watch = Task.Run(async () =>
        {
            await foreach (var commit in client.WatchAsync(0, options, cancel.Token))
            {
                versions.Add(commit.Version);
                if (versions.Count == 2)
                {
                    // The watcher keeps reading the stream while this consumer waits: the checkpoint of 3 follows.
                    await reached.Task.WaitAsync(cancel.Token);
                    return;
                }
            }
        });
        await Dev.CommitAsync(client, Dev.Region("region:eu"));
        await Dev.CommitAsync(client, Dev.Region("region:us"));
        await watch.WaitAsync(cancel.Token);
        Assert.Equal([1L, 2L], versions);
        var signed = await reached.Task.WaitAsync(cancel.Token);
        Assert.True(signed.VerifiedBy(vkey));
    }

    [Fact]
    public async Task Verify_ABundleSignedByAnotherKey_IsRefused()
    {
        var (env, _, _) = LogKey();
        var (_, otherKey, _) = LogKey();
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: env);
        var client = ClientOf(service);
        await Dev.CommitAsync(client, Dev.Region("region:eu"));
        var result = await client.VerifyDescriptorAsync("region:eu", new TransparencyVerifier(RegistryId, otherKey));
        Assert.False(result.Ok);
        Assert.StartsWith("the checkpoint is not signed by the log key", result.Error, StringComparison.Ordinal);
    }

    private static RegistryClient ClientOf(RegistryProcess service) =>
        new(service.Api, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{service.ApiPort}"), Token = Dev.Token });

    private static (Dictionary<string, string> Env, NoteVerifierKey Key, string Path) LogKey()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var path = System.IO.Path.Combine(Directory.CreateTempSubdirectory("svcr-tlog-key-").FullName, "tlog.key");
        File.WriteAllText(path, NoteSigner.FormatPrivateKey(RegistryId, seed) + "\n");
        using var signer = NoteSigner.FromSeed(RegistryId, seed);
        return (new Dictionary<string, string> { ["SVCR_TRUST__LOG_KEY"] = signer.VerifierKey.ToString(), ["SVCR_TRUST__LOG_KEY_FILE"] = path }, signer.VerifierKey, path);
    }
}
