using System.Net.ServerSentEvents;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Registry.Client.Tests.Support;
using Registry.Client.Verification;
using Registry.Core.Transparency;
using Registry.Testing;

namespace Registry.Client.Tests;

/// <summary>
/// Witnesses end to end, every node a real svc-registry on loopback: a primary asks its witnesses (svc-registry
/// witness nodes) after each signing and serves, and streams, the checkpoint with every cosignature; the SDK's k-of-n
/// policy accepts a bundle that enough witnesses cosigned and refuses one with too few, naming why; a primary that
/// rewrote its history with the same log key gets no cosignature from the witness that saw the first one, and the SDK
/// holding the older checkpoint refuses the new one (split view, then inconsistent).
/// </summary>
public sealed class WitnessPolicyTests
{
    private const string RegistryId = "ron-dev";
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task VerifyDescriptor_TwoOfTwoWitnesses_AcceptsBothCosignedAndRefusesOneAndAnyChangedByte()
    {
        var log = LogKey();
        var (w1Env, w1Key) = WitnessKey("witness.test/w1", log.Key);
        var (w2Env, w2Key) = WitnessKey("witness.test/w2", log.Key);
        await using var w1 = await RegistryProcess.StartAsync(args: ["--amnesia"], env: w1Env);
        await using var w2 = await RegistryProcess.StartAsync(args: ["--amnesia"], env: w2Env);
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"], env: WithWitnesses(log.Env, (w1, w1Key), (w2, w2Key)));
        var client = ClientOf(primary);
        var policy = new WitnessPolicy(2, [w1Key, w2Key]);

        await Dev.CommitAsync(client, Dev.Region("region:eu"));
        var streamed = await CheckpointFrameAsync(primary, 2, w1Key, w2Key);
        Assert.True(streamed.VerifiedBy(log.Key));
        var served = await client.GetCheckpointAsync();
        Assert.True(Cosignature.TryVerify(served, w1Key, out _) && Cosignature.TryVerify(served, w2Key, out _), "the checkpoint endpoint serves both cosignatures");

        var both = await client.VerifyDescriptorAsync("region:eu", new TransparencyVerifier(RegistryId, log.Key, policy));
        Assert.True(both.Ok, both.Error);
        Assert.Equal(["witness.test/w1", "witness.test/w2"], both.Witnesses.ToArray());

        // Any changed byte of a bundle both witnesses cosigned is refused under the policy.
        using var response = await primary.Api.GetAsync("/registry/descriptors/region:eu?proof=full");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(new TransparencyVerifier(RegistryId, log.Key, policy).Verify(bytes).Ok);
        for (var i = 0; i < bytes.Length; i++)
        {
            var tampered = (byte[])bytes.Clone();
            tampered[i] ^= 0x01;
            var result = new TransparencyVerifier(RegistryId, log.Key, policy).Verify(tampered);
            Assert.False(result.Ok, $"byte {i} ('{(char)bytes[i]}') changed still verified");
        }

        // The second witness goes away: the next checkpoint carries one cosignature, refused by 2 of 2.
        await w2.KillAsync();
        await Dev.CommitAsync(client, Dev.Region("region:us"));
        var one = await CheckpointFrameAsync(primary, 3, w1Key);
        Assert.False(Cosignature.TryVerify(one, w2Key, out _));
        var verifier = new TransparencyVerifier(RegistryId, log.Key, policy);
        var refused = await client.VerifyDescriptorAsync("region:us", verifier);
        Assert.False(refused.Ok);
        Assert.Equal(BundleRefusal.TooFewCosignatures, refused.Reason);
        Assert.StartsWith("too few witness cosignatures: 1 of the 2 witnesses cosigned the checkpoint of size 3 (witness.test/w1), the policy needs 2", refused.Error, StringComparison.Ordinal);
        Assert.Null(verifier.Checkpoints.Newest);

        var oneOfTwo = await client.VerifyDescriptorAsync("region:us", new TransparencyVerifier(RegistryId, log.Key, new WitnessPolicy(1, [w1Key, w2Key])));
        Assert.True(oneOfTwo.Ok, oneOfTwo.Error);
    }

    [Fact]
    public async Task RewrittenHistory_TheWitnessRefusesToCosign_AndTheSdkHoldingTheOlderCheckpointRefusesTheNewOne()
    {
        var log = LogKey();
        var (witnessEnv, witnessKey) = WitnessKey("witness.test/w1", log.Key);
        await using var witness = await RegistryProcess.StartAsync(env: witnessEnv);
        var policy = new WitnessPolicy(1, [witnessKey]);
        var withPolicy = new TransparencyVerifier(RegistryId, log.Key, policy);
        var withoutPolicy = new TransparencyVerifier(RegistryId, log.Key);
        await using (var honest = await RegistryProcess.StartAsync(args: ["--amnesia"], env: WithWitnesses(log.Env, (witness, witnessKey))))
        {
            var client = ClientOf(honest);
            await Dev.CommitAsync(client, Dev.Region("region:eu"));
            await Dev.CommitAsync(client, Dev.Region("region:us"));
            await CheckpointFrameAsync(honest, 3, witnessKey);
            var first = await client.VerifyDescriptorAsync("region:eu", withPolicy);
            Assert.True(first.Ok, first.Error);
            Assert.True((await client.VerifyDescriptorAsync("region:eu", withoutPolicy)).Ok);
        }

        // The same log key shows another history: version 1 holds a different record.
        await using var forked = await RegistryProcess.StartAsync(args: ["--amnesia"], env: WithWitnesses(log.Env, (witness, witnessKey)));
        var fork = ClientOf(forked);
        await Dev.CommitAsync(fork, Dev.Region("region:eu", "Elsewhere"));
        await Dev.CommitAsync(fork, Dev.Region("region:us"));
        var uncosigned = await CheckpointFrameAsync(forked, 3);
        Assert.False(Cosignature.TryVerify(uncosigned, witnessKey, out _));
        await witness.WaitForLineAsync(l => l.Contains("refused to cosign", StringComparison.Ordinal) && l.Contains("split view", StringComparison.Ordinal), s_deadline);

        var split = await fork.VerifyDescriptorAsync("region:eu", withoutPolicy);
        Assert.Equal(BundleRefusal.SplitView, split.Reason);
        Assert.StartsWith("split view: the checkpoint of size 3", split.Error, StringComparison.Ordinal);
        var unwitnessed = await fork.VerifyDescriptorAsync("region:eu", withPolicy);
        Assert.Equal(BundleRefusal.TooFewCosignatures, unwitnessed.Reason);

        // Grown past the witness's size: its consistency proof from the cosigned checkpoint fails (422), and the SDK's too.
        await Dev.CommitAsync(fork, Dev.Region("region:ap"));
        Assert.False(Cosignature.TryVerify(await CheckpointFrameAsync(forked, 4), witnessKey, out _));
        await witness.WaitForLineAsync(l => l.Contains("refused to cosign", StringComparison.Ordinal) && l.Contains("inconsistent", StringComparison.Ordinal), s_deadline);
        var inconsistent = await fork.VerifyDescriptorAsync("region:eu", withoutPolicy);
        Assert.Equal(BundleRefusal.Inconsistent, inconsistent.Reason);
        Assert.Equal(3, withoutPolicy.Checkpoints.Newest!.Size);
        Assert.Equal(3, withPolicy.Checkpoints.Newest!.Size);
    }

    /// <summary>
    /// Reads the primary's stream from the start until an <c>event: checkpoint</c> frame of <paramref name="size"/> that
    /// every one of <paramref name="cosigners"/> cosigned (the frame follows the witnesses' round), and returns its note.
    /// </summary>
    internal static async Task<SignedNote> CheckpointFrameAsync(RegistryProcess node, long size, params NoteVerifierKey[] cosigners)
    {
        using var cancel = new CancellationTokenSource(s_deadline);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream?from=0");
        using var response = await node.Api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancel.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancel.Token))
        {
            if (item.EventType != "checkpoint")
            {
                continue;
            }

            using var data = JsonDocument.Parse(item.Data);
            Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(data.RootElement.GetProperty("note").GetString()!), out var note));
            if (data.RootElement.GetProperty("size").GetInt64() == size && cosigners.All(k => Cosignature.TryVerify(note, k, out _)))
            {
                return note;
            }
        }

        throw new InvalidOperationException($"the stream ended before a checkpoint of size {size}");
    }

    internal static (Dictionary<string, string> Env, NoteVerifierKey Key) LogKey()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-tlog-key-").FullName, "tlog.key");
        File.WriteAllText(path, NoteSigner.FormatPrivateKey(RegistryId, seed) + "\n");
        using var signer = NoteSigner.FromSeed(RegistryId, seed);
        return (new Dictionary<string, string> { ["SVCR_TRUST__LOG_KEY"] = signer.VerifierKey.ToString(), ["SVCR_TRUST__LOG_KEY_FILE"] = path }, signer.VerifierKey);
    }

    internal static (Dictionary<string, string> Env, NoteVerifierKey Key) WitnessKey(string name, NoteVerifierKey logKey)
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-witness-key-").FullName, "witness.key");
        File.WriteAllText(path, NoteSigner.FormatPrivateKey(name, seed) + "\n");
        using var signer = NoteSigner.FromSeed(name, seed);
        return (new Dictionary<string, string> { ["SVCR_WITNESS__KEY_FILE"] = path, ["SVCR_WITNESS__LOGS"] = logKey.ToString() }, signer.CosignatureKey);
    }

    internal static Dictionary<string, string> WithWitnesses(Dictionary<string, string> env, params (RegistryProcess Node, NoteVerifierKey Key)[] witnesses) =>
        new(env) { ["SVCR_TLOG__WITNESSES"] = string.Join(", ", witnesses.Select(w => $"http://127.0.0.1:{w.Node.ApiPort} {w.Key}")) };

    private static RegistryClient ClientOf(RegistryProcess service) =>
        new(service.Api, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{service.ApiPort}"), Token = Dev.Token });
}
