using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Registry.Core.Auth;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Ha.Tests.Support;

namespace Registry.Ha.Tests;

/// <summary>
/// Three registry nodes on a 3-member etcd cluster, all real processes on loopback (SPEC §9, docs/HA.md): writers on
/// every node survive SIGKILLs of the elected writer with every acknowledged commit on every node, contiguous and
/// verifying; a writer paused past its lease steps down and follows; losing etcd's quorum stops writes (503) but not
/// reads, and restoring it resumes writes without restarting a node; a node started empty catches up from etcd.
/// The nodes run with a 2 s lease so that each fail-over costs about 2 s of the run.
/// </summary>
public sealed class HaClusterTests(EtcdTestCluster etcd) : IClassFixture<EtcdTestCluster>
{
    /// <summary>SIGKILLs of the writer per run: 20 (the count), or <c>HA_KILLS</c> (docs/HA.md).</summary>
    private static readonly int s_kills = int.TryParse(Environment.GetEnvironmentVariable("HA_KILLS"), out var kills) && kills > 0 ? kills : 20;

    /// <summary>The seed of the kill moments: random and printed, or <c>HA_SEED</c> to replay a run.</summary>
    private static readonly int s_seed = int.TryParse(Environment.GetEnvironmentVariable("HA_SEED"), out var seed) ? seed : Random.Shared.Next();

    /// <summary>The lease of the kill test's nodes: 2 s, or <c>HA_LEASE_TTL_SECONDS</c> (the default 5 s for the measurement).</summary>
    private static readonly int s_killTestLease = int.TryParse(Environment.GetEnvironmentVariable("HA_LEASE_TTL_SECONDS"), out var ttl) && ttl >= 2 ? ttl : 2;

    [Fact]
    public async Task SigkillOfTheWriter_Repeatedly_EveryAcknowledgedCommitOnEveryNode_ContiguousAndVerifying()
    {
        // Each kill lands at a random moment of the writes: after a random number of further acknowledged commits
        // (1-20), then once a random number (1-3) of further submissions have been sent, so it hits batches in flight,
        // not only quiet points.
        Console.WriteLine($"ha: kill moments from seed {s_seed} (HA_SEED={s_seed} replays them)");
        var random = new Random(s_seed);
        await using var nodes = await HaNodes.StartAsync(etcd, leaseTtlSeconds: s_killTestLease);
        using var stop = new CancellationTokenSource();
        var submitters = Enumerable.Range(0, nodes.Count).Select(i => new Submitter($"c{i}", () => EntryUrl(nodes, i))).ToList();
        var clients = submitters.Select(s => Task.Run(() => s.RunAsync(stop.Token))).ToList();
        var failovers = new List<TimeSpan>();
        try
        {
            var restart = Task.CompletedTask;
            for (var kill = 0; kill < s_kills; kill++)
            {
                // The node killed last time rejoins while the writer takes commits; it is back before the next kill.
                var writer = await nodes.WriterAsync();
                var before = Acknowledged(submitters);
                var further = random.Next(1, 21);
                var inFlight = random.Next(1, 4);
                await restart;
                await WaitUntilAsync(() => Acknowledged(submitters) >= before + further, "commits through the writer before the kill");
                var sent = Sent(submitters);
                await WaitUntilAsync(() => Sent(submitters) >= sent + inFlight, "submissions sent before the kill");

                var killed = Stopwatch.StartNew();
                await nodes.KillAsync(writer);
                var atKill = Acknowledged(submitters);
                restart = nodes.StartAsync(writer);
                await WaitUntilAsync(() => Acknowledged(submitters) > atKill, $"a commit after kill {kill + 1} of the writer");
                failovers.Add(killed.Elapsed);
            }

            await restart;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        var acknowledged = submitters.SelectMany(s => s.Acknowledged).ToDictionary(a => a.Key, a => a.Value);
        var head = acknowledged.Keys.Max();
        await nodes.WaitForVersionAsync(head);
        var logs = new List<List<JsonElement>>();
        foreach (var node in nodes.Running)
        {
            logs.Add(await HaNodes.LogAsync(node, await HaNodes.HeadAsync(node)));
        }

        var reference = logs[0];
        Assert.Equal(Enumerable.Range(1, reference.Count).Select(v => (long)v), reference.Select(r => r.GetProperty("version").GetInt64()));
        foreach (var log in logs.Skip(1))
        {
            // Every node serves the same chain byte for byte (a node may be a commit or two ahead of another).
            var common = Math.Min(log.Count, reference.Count);
            Assert.Equal(reference.Take(common).Select(r => r.GetRawText()), log.Take(common).Select(r => r.GetRawText()));
        }

        foreach (var (version, hash) in acknowledged)
        {
            Assert.All(logs, log => Assert.Equal(hash, CommitRecord.FromJson(log[(int)version - 1]).Hash.ToString()));
        }

        var sorted = failovers.Order().ToList();
        var p99 = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
        Console.WriteLine($"ha: seed {s_seed}, {s_kills} SIGKILLs of the writer (lease {nodes.LeaseTtl.TotalSeconds:0} s), {acknowledged.Count} acknowledged commits, HEAD {head}; "
            + $"kill to next acknowledged commit p99 {p99.TotalMilliseconds:0} ms, max {sorted[^1].TotalMilliseconds:0} ms: "
            + string.Join(", ", failovers.Select(f => f.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " ms")));
        var report = ChainVerifier.Verify(DevCredentials.Genesis("ron-dev"), reference.Select(CommitRecord.FromJson));
        Assert.True(report.Ok, $"seed {s_seed}: {report.Error}");
        Assert.True(failovers.All(f => f < nodes.LeaseTtl + TimeSpan.FromSeconds(10)), "fail-overs: " + string.Join(", ", failovers.Select(f => f.TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " ms")));
    }

    [Fact]
    public async Task WriterPausedPastItsLease_CannotAppend_StepsDownAndFollows()
    {
        await using var nodes = await HaNodes.StartAsync(etcd);
        var client = new Submitter("p", () => HaNodes.UrlOf(nodes[0]));
        using var deadline = new CancellationTokenSource(HaNodes.Deadline);
        await client.CommitOneAsync(deadline.Token);
        var paused = await nodes.WriterAsync();
        var pausedAt = await HaNodes.HeadAsync(nodes[paused]);

        nodes[paused].Signal(19); // SIGSTOP
        try
        {
            var next = await nodes.WriterAsync(not: paused);
            var other = new Submitter("q", () => HaNodes.UrlOf(nodes[next]));
            for (var i = 0; i < 3; i++)
            {
                await other.CommitOneAsync(deadline.Token);
            }
        }
        finally
        {
            nodes[paused].Signal(18); // SIGCONT
        }

        // Back, it is not the writer, its lease being long gone: it follows the new writer to the new HEAD.
        var head = await HaNodes.HeadAsync(nodes[(paused + 1) % nodes.Count]);
        Assert.True(head >= pausedAt + 3);
        await nodes.WaitForVersionAsync(head);
        var ready = await HaNodes.ReadyAsync(nodes[paused]);
        Assert.Equal("follower", ready.GetProperty("ha").GetProperty("role").GetString());
        Assert.True(ready.GetProperty("ha").GetProperty("step_downs").GetInt64() >= 1, ready.GetRawText());
        Assert.Contains(nodes[paused].Lines, l => l.Contains("ha: lease lost", StringComparison.Ordinal) || l.Contains("ha: etcd session ended", StringComparison.Ordinal));

        // A write sent to it now is sent on to the writer, and the chain on it is the writer's.
        var late = new Submitter("late", () => HaNodes.UrlOf(nodes[paused]));
        var version = await late.CommitOneAsync(deadline.Token);
        await nodes.WaitForVersionAsync(version);
        var logs = new List<string>();
        foreach (var node in nodes.Running)
        {
            logs.Add(string.Join('\n', (await HaNodes.LogAsync(node, version)).Select(r => r.GetRawText())));
        }

        Assert.All(logs, log => Assert.Equal(logs[0], log));
    }

    [Fact]
    public async Task OneEtcdMemberLost_NoOutage_TwoLost_Writes503ReadsContinue_QuorumBack_WritesResumeWithoutRestart()
    {
        await using var nodes = await HaNodes.StartAsync(etcd);
        var writer = await nodes.WriterAsync();

        // One member lost is no outage: calls and watches move to the others, and the writer stays the writer.
        await etcd.KillMemberAsync(1);
        long before;
        using (var deadline = new CancellationTokenSource(HaNodes.Deadline))
        {
            try
            {
                before = await new Submitter("a", () => HaNodes.UrlOf(nodes[0])).CommitOneAsync(deadline.Token);
            }
            catch (OperationCanceledException ex)
            {
                throw new TimeoutException("no commit with one etcd member lost:\n" + nodes.Logs(), ex);
            }
        }

        await etcd.StartMemberAsync(1);
        await WaitUntilAsync(etcd.HealthyAsync, "etcd member 1 back");
        await nodes.WaitForVersionAsync(before);
        Assert.Equal(writer, await nodes.WriterAsync());
        Assert.Equal(0, (await HaNodes.ReadyAsync(nodes[writer])).GetProperty("ha").GetProperty("step_downs").GetInt64());

        await etcd.KillMemberAsync(2);
        await etcd.KillMemberAsync(3);
        try
        {
            foreach (var node in nodes.Running)
            {
                // Each node notices when its lease can no longer be renewed (2 s here, plus the etcd call deadline);
                // from then on /readyz says etcd, and writes fail closed with 503.
                await WaitUntilAsync(
                    async () => (await HaNodes.ReadyAsync(node)).GetProperty("missing").EnumerateArray().Any(m => m.GetString() == "etcd"),
                    $"/readyz of {HaNodes.UrlOf(node)} naming etcd");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, await PostStatusAsync(node));
                var ready = await HaNodes.ReadyAsync(node);
                Assert.False(ready.GetProperty("write_ready").GetBoolean());
                Assert.Equal(JsonValueKind.String, ready.GetProperty("ha").GetProperty("reason").ValueKind);
                Assert.Equal(before, await HaNodes.HeadAsync(node));
            }
        }
        finally
        {
            await etcd.StartMemberAsync(2);
            await etcd.StartMemberAsync(3);
        }

        await WaitUntilAsync(etcd.HealthyAsync, "etcd healthy again");
        using var resumed = new CancellationTokenSource(HaNodes.Deadline);
        long after;
        try
        {
            after = await new Submitter("b", () => HaNodes.UrlOf(nodes[1])).CommitOneAsync(resumed.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException("no commit after etcd's quorum came back:\n" + nodes.Logs(), ex);
        }

        Assert.Equal(before + 1, after);
        await nodes.WaitForVersionAsync(after);
    }

    [Fact]
    public async Task NodeStartedEmpty_FromAnotherNodesCheckpoint_CatchesUpFromEtcd()
    {
        await using var nodes = await HaNodes.StartAsync(etcd, count: 3, running: 2);
        using var deadline = new CancellationTokenSource(HaNodes.Deadline);
        var client = new Submitter("k", () => HaNodes.UrlOf(nodes[0]));
        long atBackup = 0;
        for (var i = 0; i < 15; i++)
        {
            atBackup = await client.CommitOneAsync(deadline.Token);
        }

        // Node 1 stops cleanly at HEAD; its data directory is backed up offline (a checkpoint of its verified state
        // and the log up to it) and restored into node 2's empty directory, as RUNBOOK 6.11 brings up a new node.
        await nodes.WaitForVersionAsync(atBackup);
        await nodes.StopAsync(1);
        var backup = Path.Combine(Directory.CreateTempSubdirectory("svcr-ha-backup-").FullName, "b");
        var (exit, stdout, stderr) = await Ronctl.RunAsync(["backup", "--data-dir", nodes.DataDirOf(1), "--destination", backup, "--dev"]);
        Assert.True(exit == 0, stdout + stderr);
        (exit, stdout, stderr) = await Ronctl.RunAsync(["restore", "--from", backup, "--data-dir", nodes.DataDirOf(2), "--dev"]);
        Assert.True(exit == 0, stdout + stderr);

        // The cluster moves on past the backup; node 2 opens the checkpoint, then takes only the rest from etcd.
        long head = 0;
        for (var i = 0; i < 10; i++)
        {
            head = await client.CommitOneAsync(deadline.Token);
        }

        await nodes.StartAsync(2);
        await nodes.WaitForVersionAsync(head);
        var recovery = nodes[2].Lines.Single(l => l.Contains("recovery: recovered version", StringComparison.Ordinal));
        Assert.DoesNotContain("from genesis", recovery, StringComparison.Ordinal);
        Assert.Contains($"recovered version {atBackup} ", recovery, StringComparison.Ordinal);
        Assert.Equal(
            string.Join('\n', (await HaNodes.LogAsync(nodes[0], head)).Select(r => r.GetRawText())),
            string.Join('\n', (await HaNodes.LogAsync(nodes[2], head)).Select(r => r.GetRawText())));
        var report = ChainVerifier.Verify(DevCredentials.Genesis("ron-dev"), (await HaNodes.LogAsync(nodes[2], head)).Select(CommitRecord.FromJson));
        Assert.True(report.Ok, report.Error);
        var ready = await HaNodes.ReadyAsync(nodes[2]);
        Assert.Equal(ready.GetProperty("ha").GetProperty("etcd_events").GetInt64(), ready.GetProperty("ha").GetProperty("local_events").GetInt64());
    }

    [Fact]
    public async Task NodeStartedEmpty_CatchesUpFromEtcd()
    {
        await using var nodes = await HaNodes.StartAsync(etcd, count: 3, running: 2);
        using var deadline = new CancellationTokenSource(HaNodes.Deadline);
        var client = new Submitter("e", () => HaNodes.UrlOf(nodes[0]));
        long version = 0;
        for (var i = 0; i < 20; i++)
        {
            version = await client.CommitOneAsync(deadline.Token);
        }

        await nodes.StartAsync(2);
        await nodes.WaitForVersionAsync(version);
        Assert.Equal(
            string.Join('\n', (await HaNodes.LogAsync(nodes[0], version)).Select(r => r.GetRawText())),
            string.Join('\n', (await HaNodes.LogAsync(nodes[2], version)).Select(r => r.GetRawText())));
        var ready = await HaNodes.ReadyAsync(nodes[2]);
        Assert.Equal(ready.GetProperty("ha").GetProperty("etcd_events").GetInt64(), ready.GetProperty("ha").GetProperty("local_events").GetInt64());

        // ronctl shows the writer and where every node is.
        var writer = HaNodes.UrlOf(nodes[await nodes.WriterAsync()]);
        var (exit, stdout, stderr) = await Ronctl.RunAsync(["ha", "status", "--json", .. nodes.Running.SelectMany(n => new[] { "--node", $"127.0.0.1:{n.AdminPort}" })]);
        Assert.True(exit == 0, stdout + stderr);
        var status = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(writer, status.GetProperty("writer").GetString());
        var rows = status.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        Assert.Single(rows, r => r.GetProperty("role").GetString() == "writer");
        Assert.All(rows, r => Assert.Equal(version, r.GetProperty("version").GetInt64()));
        Assert.All(rows, r => Assert.Equal(0, r.GetProperty("behind").GetInt64()));

        // The writer is elected through etcd: replica promotion and demotion refuse on every HA node, writer or not.
        foreach (var path in new[] { "/admin/replica/promote", "/admin/replica/demote" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path);
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DevCredentials.Token());
            using var response = await nodes[0].Admin.SendAsync(request);
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("ha_node", problem.GetProperty("reason").GetString());
        }

        await nodes.KillAsync(1);
        (exit, _, _) = await Ronctl.RunAsync(["ha", "status", "--node", $"127.0.0.1:{nodes[0].AdminPort}", "--node", "127.0.0.1:1"]);
        Assert.Equal(6, exit);
    }

    [Fact]
    public async Task EventInEtcdThatFailsVerification_NeverStoredOrServed_EveryNodeHalts()
    {
        await using var nodes = await HaNodes.StartAsync(etcd, count: 2);
        using var deadline = new CancellationTokenSource(HaNodes.Deadline);
        var version = await new Submitter("v", () => HaNodes.UrlOf(nodes[0])).CommitOneAsync(deadline.Token);
        await nodes.WaitForVersionAsync(version);

        // Someone with write access to etcd replays the last commit at the next sequence, under the writer's own fencing
        // revision: etcd takes it (it is trusted for order and durability only), every node must refuse it.
        using var cluster = new Registry.Store.Etcd.EtcdCluster(etcd.EndpointList, TimeSpan.FromSeconds(2));
        var log = new Registry.Store.Etcd.EtcdEventLog(cluster, new Registry.Store.Etcd.EtcdLogKeys(nodes.Prefix, "ron-dev"), 1_572_864);
        var count = await log.CountAsync(CancellationToken.None);
        var (last, _, _) = await log.ReadAsync(count - 1, 1, CancellationToken.None);
        var writer = await log.GetWriterAsync(CancellationToken.None);
        Assert.Equal(Registry.Store.Etcd.EtcdAppendResult.Committed, await log.AppendAsync(writer!.Revision, count, [last[0].Payload], CancellationToken.None));

        foreach (var node in nodes.Running)
        {
            await WaitUntilAsync(async () => (await HaNodes.ReadyAsync(node)).GetProperty("ha").GetProperty("role").GetString() == "halted", $"{HaNodes.UrlOf(node)} halted");
            var ready = await HaNodes.ReadyAsync(node);
            Assert.Contains("commit fails verification", ready.GetProperty("ha").GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(count, ready.GetProperty("ha").GetProperty("local_events").GetInt64());
            Assert.Equal(version, await HaNodes.HeadAsync(node));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await PostStatusAsync(node));
        }
    }

    [Fact]
    public async Task ProposalWhoseEventsExceedEtcdsRequestLimit_RefusedWhenProposed_413()
    {
        await using var nodes = await HaNodes.StartAsync(etcd, count: 1, extraEnv: new Dictionary<string, string> { ["SVCR_ETCD__MAX_REQUEST_BYTES"] = "65536" });
        var writer = nodes[await nodes.WriterAsync()];
        using var head = JsonDocument.Parse(await writer.Api.GetStringAsync("/registry/head"));
        // Six descriptors of 14 KB each: every one within the descriptor cap, the proposal within the body limit, and
        // together over this cluster's 64 KiB etcd request limit.
        var changes = string.Join(',', Enumerable.Range(0, 6).Select(i =>
            "{\"op\":\"put\",\"descriptor\":{\"kind\":\"region\",\"id\":\"big-" + i + "\",\"attrs\":{\"name\":\"" + new string('x', 14_000) + "\"}}}"));
        var body = "{\"base_version\":0,\"base_hash\":\"" + head.RootElement.GetProperty("hash").GetString()
            + "\",\"changes\":[" + changes + "],\"expires_at\":\"2099-01-01T00:00:00Z\",\"note\":\"too big for etcd\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/registry/proposals") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DevCredentials.Token());
        using var response = await writer.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, text);
        Assert.Equal("PayloadTooLarge", JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
        Assert.Contains("etcd", text, StringComparison.Ordinal);
        Assert.Equal(0, (await HaNodes.ReadyAsync(writer)).GetProperty("ha").GetProperty("etcd_events").GetInt64());
    }

    private static string EntryUrl(HaNodes nodes, int preferred)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            try
            {
                return HaNodes.UrlOf(nodes[(preferred + i) % nodes.Count]);
            }
            catch (InvalidOperationException)
            {
                // That node is down at the moment: the next one.
            }
        }

        throw new InvalidOperationException("no node is running");
    }

    private static long Acknowledged(List<Submitter> submitters) => submitters.Sum(s => (long)s.Acknowledged.Count);

    private static long Sent(List<Submitter> submitters) => submitters.Sum(s => s.Sent);

    private static async Task<HttpStatusCode> PostStatusAsync(Registry.Testing.RegistryProcess node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/registry/commits") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DevCredentials.Token());
        using var response = await node.Api.SendAsync(request);
        return response.StatusCode;
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    /// <summary>Polls until <paramref name="condition"/> holds, failing at the deadline.</summary>
    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        HaNodes.UntilAsync(condition, () => Assert.Fail("timed out waiting for " + what));
}
