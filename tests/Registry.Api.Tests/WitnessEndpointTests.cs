using System.Collections.Immutable;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Registry.Core.Model;
using Registry.Core.Transparency;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// svc-registry as a C2SP tlog-witness (<c>POST /add-checkpoint</c>), driven by a log the test plays itself (its own
/// key and trees): a fresh checkpoint is cosigned with a cosignature/v1 line that verifies by the witness key; the
/// spec's status codes for a wrong old size (409 with the stored size as text/x.tlog.size), a rewritten history at the
/// same size (409) and past it (422), an unknown origin (404), another key (403) and a malformed body (400); honest
/// growth is cosigned; and the cosigned size survives a restart.
/// </summary>
public sealed class WitnessEndpointTests
{
    private const string Origin = "ron-test-log";

    [Fact]
    public async Task AddCheckpoint_ALogThatRewritesHistory_IsRefusedAndWhatWasCosignedSurvivesARestart()
    {
        using var log = NoteSigner.Generate(Origin);
        using var impostor = NoteSigner.Generate(Origin);
        var (env, witnessKey) = WitnessEnvironment(log.VerifierKey);
        var dataDir = Directory.CreateTempSubdirectory("svcr-witness-").FullName;
        var honest = Tree(6, fork: false);
        var forked = Tree(6, fork: true);
        await using (var witness = await RegistryProcess.StartAsync(dataDir, env: env))
        {
            var first = await PostAsync(witness, Request(log, honest, 3, 0));
            Assert.Equal(HttpStatusCode.OK, first.Status);
            AssertCosigned(first.Body, Note(log, honest, 3), witnessKey);

            var stale = await PostAsync(witness, Request(log, honest, 4, 0));
            Assert.Equal((HttpStatusCode.Conflict, "text/x.tlog.size", "3\n"), (stale.Status, stale.ContentType, stale.Body));

            // The same key, another history: at the stored size, then past it.
            var split = await PostAsync(witness, Request(log, forked, 3, 3));
            Assert.Equal((HttpStatusCode.Conflict, "3\n"), (split.Status, split.Body));
            await witness.WaitForLineAsync(l => l.Contains("refused to cosign", StringComparison.Ordinal) && l.Contains("split view", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            var inconsistent = await PostAsync(witness, Request(log, forked, 5, 3));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, inconsistent.Status);
            Assert.Contains("\"code\":\"InconsistentProof\"", inconsistent.Body, StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(witness, Request(impostor, honest, 5, 3))).Status);
            using var otherLog = NoteSigner.Generate("another-log");
            Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(witness, Request(otherLog, honest, 1, 0))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(witness, Encoding.UTF8.GetBytes("old 3\n\nnot a note\n"))).Status);
            Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(witness, Request(log, honest, 2, 3, ImmutableArray<Digest>.Empty))).Status);

            var grown = await PostAsync(witness, Request(log, honest, 5, 3));
            Assert.Equal(HttpStatusCode.OK, grown.Status);
            AssertCosigned(grown.Body, Note(log, honest, 5), witnessKey);

            // Every answer above is counted under its outcome, and timed.
            var scrape = await witness.Admin.GetStringAsync("/metrics");
            foreach (var (outcome, count) in new[] { ("cosigned", 2), ("conflict", 2), ("inconsistent_proof", 1), ("not_signed", 1), ("unknown_origin", 1), ("malformed", 1), ("bad_request", 1) })
            {
                Assert.Contains($"registry_witness_requests_total{{outcome=\"{outcome}\"}} {count}\n", scrape, StringComparison.Ordinal);
            }

            Assert.Contains("registry_witness_seconds_count 9\n", scrape, StringComparison.Ordinal);
            Assert.Equal(0, await witness.StopAsync());
        }

        await using (var restarted = await RegistryProcess.StartAsync(dataDir, env: env))
        {
            var after = await PostAsync(restarted, Request(log, honest, 6, 0));
            Assert.Equal((HttpStatusCode.Conflict, "5\n"), (after.Status, after.Body));
            Assert.Equal(HttpStatusCode.OK, (await PostAsync(restarted, Request(log, honest, 6, 5))).Status);
            Assert.Equal(0, await restarted.StopAsync());
        }

        // A damaged state file stops start-up (exit 2) rather than let the witness forget what it cosigned.
        var state = Directory.GetFiles(Path.Combine(dataDir, "witness")).Single();
        var bytes = await File.ReadAllBytesAsync(state);
        bytes[^10] ^= 0x01;
        await File.WriteAllBytesAsync(state, bytes);
        await using var damaged = await RegistryProcess.StartAsync(dataDir, env: env, waitReady: false);
        Assert.Equal(2, await damaged.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains(damaged.Lines, l => l.Contains("witness state's checksum does not match", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddCheckpoint_OnAReplica_CosignsItsPrimarysCheckpoints()
    {
        var (logEnv, logKey) = TransparencyLogTests.LogKeyEnvironment();
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"], env: logEnv);
        var (env, witnessKey) = WitnessEnvironment(logKey);
        await using var replica = await Replication.ReplicaNodes.StartAsync(primary, amnesia: true, env: env);
        var driver = new Support.Driver(primary);
        await driver.CommitChangesAsync(Support.Driver.Region("region:r"));

        // The primary's own checkpoint (size 2), sent to the replica as to any witness: a write the replica accepts.
        Assert.True(SignedNote.TryParse(await primary.Api.GetByteArrayAsync("/registry/tlog/checkpoint"), out var note));
        var cosigned = await PostAsync(replica, new AddCheckpointRequest(0, [], note).ToBytes());
        Assert.Equal(HttpStatusCode.OK, cosigned.Status);
        AssertCosigned(cosigned.Body, note, witnessKey);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await replica.Api.PostAsync("/registry/proposals", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task AddCheckpoint_OnANodeThatIsNoWitness_Is404()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        using var log = NoteSigner.Generate(Origin);
        var response = await PostAsync(service, Request(log, Tree(1, fork: false), 1, 0));
        Assert.Equal(HttpStatusCode.NotFound, response.Status);
    }

    internal static (Dictionary<string, string> Env, NoteVerifierKey Key) WitnessEnvironment(params NoteVerifierKey[] logs)
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-witness-key-").FullName, "witness.key");
        File.WriteAllText(path, NoteSigner.FormatPrivateKey("witness.test/w1", seed) + "\n");
        using var signer = NoteSigner.FromSeed("witness.test/w1", seed);
        return (new Dictionary<string, string>
        {
            ["SVCR_WITNESS__KEY_FILE"] = path,
            ["SVCR_WITNESS__LOGS"] = string.Join(",", logs.Select(k => k.ToString())),
        }, signer.CosignatureKey);
    }

    private static void AssertCosigned(string body, SignedNote note, NoteVerifierKey witnessKey)
    {
        Assert.StartsWith("\u2014 witness.test/w1 ", body, StringComparison.Ordinal);
        Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(note.Text + "\n" + body), out var cosigned));
        Assert.True(Cosignature.TryVerify(cosigned, witnessKey, out var timestamp));
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(timestamp), DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    private static SignedNote Note(NoteSigner signer, MerkleTree tree, long size) =>
        signer.SignNote(new Checkpoint(signer.Name, size, tree.RootAt(size)).ToText());

    private static byte[] Request(NoteSigner signer, MerkleTree tree, long size, long old, ImmutableArray<Digest>? proof = null) =>
        new AddCheckpointRequest(old, proof ?? (old == 0 || old >= size ? ImmutableArray<Digest>.Empty : tree.ConsistencyProof(old, size)), Note(signer, tree, size)).ToBytes();

    private static async Task<(HttpStatusCode Status, string? ContentType, string Body)> PostAsync(RegistryProcess witness, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        using var response = await witness.Api.PostAsync("/add-checkpoint", content);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    private static MerkleTree Tree(int size, bool fork)
    {
        var tree = new MerkleTree();
        for (var i = 0; i < size; i++)
        {
            tree.Append(Encoding.UTF8.GetBytes(fork && i == 1 ? "rewritten" : $"entry-{i}"));
        }

        return tree;
    }
}
