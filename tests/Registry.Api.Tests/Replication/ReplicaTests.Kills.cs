using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Registry.Api.Tests.Support;
using Registry.Testing;
using Xunit.Abstractions;

namespace Registry.Api.Tests.Replication;

/// <summary>
/// SIGKILL of the primary and of each replica of a chain (primary, replica, replica of the replica) at seeded random
/// moments of a 500-commit load with concurrent writers: every node ends with the same HEAD, bytes and proofs; the
/// stream of the last replica, resumed by Last-Event-ID across its own restart, shows every version once in order;
/// each restarted replica resumes from its own recovered data (its checkpoint and log), never from genesis.
/// The seed is logged; REPLICA_KILL_SEED replays one.
/// </summary>
public sealed partial class ReplicaTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Replicas_PrimaryAndEachReplicaSigkilledAtSeededMomentsUnderLoad_CatchUpWithoutGapDuplicateOrGenesisReplay()
    {
        const int Writers = 5;
        const int PerWriter = 100;
        const int Total = Writers * PerWriter;
        const int CheckpointEvery = 50;
        var seed = Environment.GetEnvironmentVariable("REPLICA_KILL_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var random = new Random(seed);
        var killPrimaryAt = random.Next(60, 150);
        var killFirstAt = random.Next(200, 300);
        var killSecondAt = random.Next(340, 440);
        var plan = $"seed {seed}: SIGKILL the primary after {killPrimaryAt} acknowledged commits, the first replica after {killFirstAt}, the second after {killSecondAt}";
        output.WriteLine(plan);

        // Checkpoints every 50 commits, so a restarted node recovers from one; reconnections at most 1 s apart, so a
        // replica is back to tailing soon after its upstream returns; fixed ports, so a followed node comes back
        // at the address its follower knows.
        var env = new Dictionary<string, string> { ["SVCR_STORAGE__CHECKPOINT_EVERY_COMMITS"] = CheckpointEvery.ToString(CultureInfo.InvariantCulture), ["SVCR_REPLICA__RECONNECT_MAX_SECONDS"] = "1" };
        var ports = Enumerable.Range(0, 3).Select(_ => (RegistryProcess.FreePort(), RegistryProcess.FreePort())).ToArray();
        var dirs = Enumerable.Range(0, 3).Select(i => Directory.CreateTempSubdirectory($"svcr-kill{i}-").FullName).ToArray();
        var urls = ports.Select(p => $"http://127.0.0.1:{p.Item1}").ToArray();
        var nodes = new RegistryProcess[3];
        nodes[0] = await RegistryProcess.StartAsync(dirs[0], ["--data-dir", dirs[0]], env, ports: ports[0]);
        nodes[1] = await ReplicaNodes.StartAsync(urls[0], dirs[1], env: env, ports: ports[1]);
        nodes[2] = await ReplicaNodes.StartAsync(urls[1], dirs[2], env: env, ports: ports[2]);
        using var primaryApi = new HttpClient { BaseAddress = new Uri(urls[0]), Timeout = TimeSpan.FromSeconds(30) };
        using var lastApi = new HttpClient { BaseAddress = new Uri(urls[2]), Timeout = TimeSpan.FromSeconds(30) };
        var up = new[] { Up(), Up(), Up() };
        try
        {
            var subscriber = Task.Run(() => SubscribeAcrossRestartsAsync(lastApi, Total, () => up[2].Task, plan));

            var acknowledged = 0;
            var milestones = new[] { killPrimaryAt, killFirstAt, killSecondAt }.Select(_ => Up()).ToArray();
            var thresholds = new[] { killPrimaryAt, killFirstAt, killSecondAt };
            var restarted = thresholds.Select(_ => Up()).ToArray();
            var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < PerWriter; i++)
                {
                    // The load goes on for 40 commits past each kill, then waits for that node's restart, so that
                    // every kill falls inside the load (a restart takes longer than the rest of it would).
                    for (var k = 0; k < thresholds.Length; k++)
                    {
                        if (Volatile.Read(ref acknowledged) >= thresholds[k] + 40)
                        {
                            await restarted[k].Task.WaitAsync(ReplicaNodes.Deadline);
                        }
                    }

                    await CommitSurvivingRestartsAsync(primaryApi, Driver.Region($"region:kill-w{w}-{i % 40}", $"Writer {w} round {i}"), () => up[0].Task, plan);
                    var n = Interlocked.Increment(ref acknowledged);
                    for (var k = 0; k < thresholds.Length; k++)
                    {
                        if (n >= thresholds[k])
                        {
                            milestones[k].TrySetResult();
                        }
                    }
                }
            })).ToArray();

            var resumed = new List<string>();
            for (var k = 0; k < 3; k++)
            {
                await milestones[k].Task.WaitAsync(ReplicaNodes.Deadline);
                if (k > 0)
                {
                    // The claim below is about a replica that holds a checkpoint; its first is written in the background
                    // at low priority, which a loaded CI machine delayed past version 242 once (the writers pause 40
                    // commits past the milestone, so the kill still falls inside the load).
                    await ReplicaNodes.WaitForCheckpointAsync(nodes[k].Api);
                }

                var before = await ReplicaNodes.HeadVersionAsync(nodes[k].Api);
                up[k] = Up();
                await nodes[k].KillAsync();
                await nodes[k].DisposeAsync();
                var during = Volatile.Read(ref acknowledged);
                output.WriteLine($"killed node {k} at its version {before} ({during} acknowledged)");
                Assert.True(during < Total, $"{plan}: node {k} was killed after the load ended");
                nodes[k] = k == 0
                    ? await RegistryProcess.StartAsync(dirs[0], ["--data-dir", dirs[0]], env, ports: ports[0])
                    : await ReplicaNodes.StartAsync(urls[k - 1], dirs[k], env: env, ports: ports[k]);
                up[k].TrySetResult();
                restarted[k].TrySetResult();
                var recovered = nodes[k].Lines.FirstOrDefault(l => l.Contains("recovered version", StringComparison.Ordinal)) ?? "(no recovery line)";
                Assert.True(RecoveredVersion(recovered) >= before, $"{plan}: node {k} recovered less than it served before SIGKILL ({before}): {recovered}");
                if (k > 0)
                {
                    // The replica held a checkpoint when it was killed (waited for above): it recovers from it (or a
                    // newer one) plus its log tail, never from genesis, and never fetches again what it held.
                    Assert.DoesNotContain("from genesis", recovered, StringComparison.Ordinal);

                    var following = await nodes[k].WaitForLineAsync(l => l.Contains("replica: following", StringComparison.Ordinal), ReplicaNodes.Deadline);
                    var from = long.Parse(FromVersion().Match(following).Groups[1].Value, CultureInfo.InvariantCulture);
                    Assert.True(from >= before, $"{plan}: replica {k} resumed following from version {from}, not from its own HEAD {before}: {following}");
                    resumed.Add($"replica {k}: served {before}, {recovered}; resumed following from {from}");
                }
            }

            await Task.WhenAll(writers);
            Assert.Equal(Total, await ReplicaNodes.HeadVersionAsync(primaryApi));
            foreach (var line in resumed)
            {
                output.WriteLine(line);
            }

            Assert.Equal(Enumerable.Range(1, Total).Select(v => (long)v), await subscriber);
            await ReplicaNodes.WaitForVersionAsync(nodes[1].Api, Total);
            await ReplicaNodes.WaitForVersionAsync(nodes[2].Api, Total);
            var expectedHead = await ReplicaNodes.BytesAsync(primaryApi, "/registry/head");
            var expectedLog = await ReplicaNodes.LogPagesAsync(primaryApi, Total);
            var expectedProof = await ReplicaNodes.BytesAsync(primaryApi, $"/registry/{Total}/descriptors/region:kill-w3-17");
            foreach (var replica in nodes.Skip(1))
            {
                Assert.Equal(expectedHead, await ReplicaNodes.BytesAsync(replica.Api, "/registry/head"));
                Assert.Equal(expectedLog, await ReplicaNodes.LogPagesAsync(replica.Api, Total));
                Assert.Equal(expectedProof, await ReplicaNodes.BytesAsync(replica.Api, $"/registry/{Total}/descriptors/region:kill-w3-17"));
                var metrics = await replica.Admin.GetStringAsync("/metrics");
                Assert.Contains("registry_replica_halted 0", metrics, StringComparison.Ordinal);
                Assert.Contains($"registry_head_version {Total}", metrics, StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                if (node is not null)
                {
                    await node.DisposeAsync();
                }
            }
        }
    }

    private static TaskCompletionSource Up()
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return up;
    }

    // One pre-signed submission (idempotent: a retry after a restart answers the version it got, or commits it now),
    // sent again after every failure that a SIGKILLed primary causes, once the primary is back.
    private static async Task CommitSurvivingRestartsAsync(HttpClient primary, string change, Func<Task> primaryUp, string plan)
    {
        string? body = null;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                if (body is null)
                {
                    using var head = await primary.GetAsync("/registry/head");
                    head.EnsureSuccessStatusCode();
                    body = DevSubmissions.Body(DevSubmissions.On(await Driver.JsonAsync(head), change, "kill load"), 1, 2);
                }

                using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, "/registry/commits") { Content = content };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Driver.Token);
                using var response = await primary.SendAsync(request);
                if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                {
                    return;
                }

                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{plan}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                // The primary is down or restarting.
            }

            await primaryUp().WaitAsync(ReplicaNodes.Deadline);
            await Task.Yield();
        }

        Assert.Fail($"{plan}: a commit did not go through in 50 attempts");
    }

    // Reads the stream from version 0, resuming by Last-Event-ID from the last version seen whenever the node goes away.
    private static async Task<List<long>> SubscribeAcrossRestartsAsync(HttpClient api, int total, Func<Task> nodeUp, string plan)
    {
        var versions = new List<long>(total);
        for (var attempt = 0; versions.Count < total && attempt < 50; attempt++)
        {
            try
            {
                await using var stream = await SseReader.OpenAsync(api, versions.Count);
                while (versions.Count < total)
                {
                    var next = await stream.NextAsync(ReplicaNodes.Deadline);
                    if (next is null)
                    {
                        break;
                    }

                    if (next.Value.Type != "commit")
                    {
                        continue;
                    }

                    Assert.True(next.Value.Version == versions.Count + 1, $"{plan}: after version {versions.Count} the stream sent {next.Value.Version}");
                    versions.Add(next.Value.Version);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                // The node went away: resume from the last version seen once it is back.
            }

            await nodeUp().WaitAsync(ReplicaNodes.Deadline);
        }

        return versions;
    }

    private static long RecoveredVersion(string line)
    {
        var match = RecoveredVersionPattern().Match(line);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    [GeneratedRegex("recovered version (\\d+)")]
    private static partial Regex RecoveredVersionPattern();
}
