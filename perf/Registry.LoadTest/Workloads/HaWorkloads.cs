using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;
using Registry.LoadTest.Systems;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Issue 17's measurements (<c>--ha</c>), in one run against one 3-member etcd cluster on loopback
/// (<c>ops/etcd-cluster.sh</c>) and 3 registry nodes on it: pre-signed commit throughput at N clients through the
/// elected writer beside etcd's own txn on a key per client on the same cluster; SIGKILL of the writer to the next
/// acknowledged commit over <see cref="HarnessSettings.HaKills"/> kills at seeded random moments; and head reads
/// (wrk) on the writer and on a follower beside a single FasterLog node started in the same run.
/// </summary>
public sealed class HaWorkloads(RunContext context)
{
    /// <summary>The group (section) of the results markdown.</summary>
    public const string Group = "10. High availability on etcd: 3 registry nodes on a 3-member etcd cluster";

    private readonly RegistryServer?[] _nodes = new RegistryServer?[3];
    private readonly string[] _dataDirs = [.. Enumerable.Range(0, 3).Select(i => context.NewDirectory($"ha-node-{i}"))];
    private Dictionary<string, string> _env = [];

    /// <summary>Runs the three measurements and leaves no process behind.</summary>
    public async Task RunAsync()
    {
        var s = context.Settings;
        Console.WriteLine($"workload 10: HA, 3-member etcd cluster, 3 registry nodes (lease {s.HaLeaseTtlSeconds} s)");
        await using var cluster = await EtcdCluster.StartAsync(context.RepoRoot, context.NewDirectory("ha-etcd"), context.ServerCpus);
        _env = new Dictionary<string, string>
        {
            ["SVCR_STORAGE__BACKEND"] = "etcd",
            ["SVCR_ETCD__ENDPOINTS"] = cluster.Endpoints,
            ["SVCR_ETCD__LEASE_TTL_SECONDS"] = s.HaLeaseTtlSeconds.ToString(CultureInfo.InvariantCulture),
        };
        try
        {
            for (var i = 0; i < _nodes.Length; i++)
            {
                await StartNodeAsync(i);
            }

            var writer = await WriterAsync();
            using (var client = new RegistryClient(_nodes[writer]!.BaseAddress, context.Trust, Math.Max(64, s.ManyClients * 4)))
            {
                await client.CommitChangesAsync(Enumerable.Range(0, Payload.Regions).Select(n => Payload.PutChange(Payload.Region(n))));
                await ThroughputAsync(cluster, writer, client);
            }

            await ReadsAsync(writer);
            await FailoverAsync();
        }
        finally
        {
            foreach (var node in _nodes.OfType<RegistryServer>())
            {
                await node.DisposeAsync();
            }
        }
    }

    private async Task ThroughputAsync(EtcdCluster cluster, int writer, RegistryClient client)
    {
        var s = context.Settings;
        Console.WriteLine($"workload 10a: HA pre-signed submission, {s.ManyClients} clients, vs etcd txn on the same cluster");
        using var etcd = new EtcdClient(cluster.BaseAddress, Math.Max(64, s.ManyClients * 4));
        context.Add(new WorkloadResult
        {
            Id = $"ha-presigned-{s.ManyClients}",
            Group = Group,
            Variant = $"commits, {s.ManyClients} clients",
            Kind = WorkloadKind.Rate,
            ThroughputUnit = "commits/s",
            Description = "svc-registry: workload 3c's pre-signed submissions (a descriptor per client) sent to the elected writer of 3 nodes on etcd; a group-commit batch is one fenced create-if-absent txn, acknowledged once etcd committed it. etcd: workload 3c's read + compare-and-put txn on a key per client, against member 1 of the same 3-member cluster. CPU and memory: the writer node, and etcd member 1 (the other members' CPU is in the \"other\" column).",
            Registry = await Measure.Bench.MeasureAsync(_nodes[writer]!, s.Repetitions, _ => PreSignedLoop.RunAsync(client, s.ManyClients, s.WriteDuration, "node:perf-ha-presigned"), () => PreSignedLoop.RunAsync(client, s.ManyClients, s.WarmUp, "node:perf-ha-presigned")),
            Etcd = await Measure.Bench.MeasureAsync(cluster, s.Repetitions, _ => EtcdCasLoop.RunAsync(etcd, s.ManyClients, sharedKey: false, s.WriteDuration), () => EtcdCasLoop.RunAsync(etcd, s.ManyClients, sharedKey: false, s.WarmUp)),
        });
    }

    // Head reads on the writer and on a follower, beside one FasterLog node with the same seed, started here.
    private async Task ReadsAsync(int writer)
    {
        var s = context.Settings;
        var follower = (writer + 1) % _nodes.Length;
        var dataDir = context.NewDirectory("ha-single");
        await using var single = await RegistryServer.StartAsync(context.ServiceDll, context.ConfigFile, dataDir, false, context.ServerCpus, context.LogFile("ha-single"));
        using (var client = new RegistryClient(single.BaseAddress, context.Trust, 8))
        {
            await client.CommitChangesAsync(Enumerable.Range(0, Payload.Regions).Select(n => Payload.PutChange(Payload.Region(n))));
        }

        foreach (var (id, variant, server) in new[] { ("single", "single FasterLog node", single), ("writer", "HA writer node", _nodes[writer]!), ("follower", "HA follower node", _nodes[follower]!) })
        {
            Console.WriteLine($"workload 10c: GET /registry/head, {variant}, {s.ManyClients} connections");
            context.Add(new WorkloadResult
            {
                Id = $"ha-head-read-{id}-{s.ManyClients}",
                Group = Group,
                Variant = $"GET /registry/head, {variant}, {s.ManyClients} connections",
                Kind = WorkloadKind.Rate,
                Description = "wrk as in workload 1, on one node at a time (the others idle); the single node is a FasterLog node started in the same run with the same 10 regions seeded.",
                Registry = await ReadWorkloads.WrkAsync(context, server, "GET", "/registry/head", null, s.ManyClients),
            });
        }

        await single.StopAsync();
    }

    // Writers on every node; each kill at a random moment (seeded, printed): after 1-20 further acknowledged commits
    // and 0-250 ms more. The killed node restarts on its data directory while the next writer takes commits.
    private async Task FailoverAsync()
    {
        var s = context.Settings;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PERF_HA_SEED"), out var fixedSeed) ? fixedSeed : Random.Shared.Next();
        var random = new Random(seed);
        Console.WriteLine($"workload 10b: fail-over, {s.HaKills} SIGKILLs of the writer, kill moments from seed {seed} (PERF_HA_SEED replays them)");
        var clients = new RegistryClient?[_nodes.Length];
        for (var i = 0; i < clients.Length; i++)
        {
            clients[i] = new RegistryClient(_nodes[i]!.BaseAddress, context.Trust, 4);
        }

        var writers = new FailoverWriters([.. Enumerable.Range(0, clients.Length).Select(i => (Func<RegistryClient?>)(() => Volatile.Read(ref clients[i])))]);
        using var stop = new CancellationTokenSource();
        var running = writers.RunAsync(stop.Token);
        var failovers = new List<double>();
        var restart = Task.CompletedTask;
        try
        {
            for (var kill = 0; kill < s.HaKills; kill++)
            {
                var writer = await WriterAsync();
                var target = writers.Acknowledged + random.Next(1, 21);
                var delay = TimeSpan.FromMilliseconds(random.Next(0, 251));
                await restart;
                await Until(() => writers.Acknowledged >= target, "commits through the writer before a kill");
                await Task.Delay(delay);
                var killedAt = Stopwatch.GetTimestamp();
                await _nodes[writer]!.KillAsync();
                await Until(() => writers.LastAck > killedAt, $"a commit after kill {kill + 1}");
                failovers.Add(Stopwatch.GetElapsedTime(killedAt, writers.LastAck).TotalMilliseconds);
                var gone = _nodes[writer]!;
                _nodes[writer] = null;
                Volatile.Write(ref clients[writer], null);
                await gone.DisposeAsync();
                restart = RestartAsync(writer, clients);
            }

            await restart;
        }
        finally
        {
            await stop.CancelAsync();
            await running;
            foreach (var c in clients)
            {
                c?.Dispose();
            }
        }

        var sorted = failovers.Order().ToList();
        var p99 = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
        var measurement = new SystemMeasurement { System = "svc-registry", Note = $"seed {seed}, lease {s.HaLeaseTtlSeconds} s, {writers.Acknowledged} commits acknowledged; p99 {p99:0} ms over {failovers.Count} kills" };
        foreach (var f in failovers)
        {
            measurement.Repetitions.Add(new Repetition { DurationMs = Math.Round(f, 1), Count = 1, Extra = { ["kills"] = 1 } });
        }

        Console.WriteLine($"  fail-over p99 {p99:0} ms, max {sorted[^1]:0} ms over {failovers.Count} kills (lease {s.HaLeaseTtlSeconds} s)");
        context.Add(new WorkloadResult
        {
            Id = "ha-failover",
            Group = Group + " (fail-over)",
            Variant = $"SIGKILL of the writer → next acknowledged commit, {s.HaKills} kills, lease {s.HaLeaseTtlSeconds} s",
            Kind = WorkloadKind.Duration,
            Description = "A pre-signed writer on every node (a follower answers 421, the writer's node acknowledges); each kill at a random moment of the writes (seeded; the seed is in the note); the time from the SIGKILL to the next commit acknowledged to any client, retries every 10 ms. The killed node restarts on its data directory and is back before the next kill. One repetition per kill: median, min and max are over the kills; the service target takes their p99.",
            Registry = measurement,
        });
    }

    private async Task RestartAsync(int index, RegistryClient?[] clients)
    {
        await StartNodeAsync(index);
        Volatile.Write(ref clients[index], new RegistryClient(_nodes[index]!.BaseAddress, context.Trust, 4));
    }

    private async Task StartNodeAsync(int index) =>
        _nodes[index] = await RegistryServer.StartAsync(context.ServiceDll, context.ConfigFile, _dataDirs[index], false, context.ServerCpus, context.LogFile($"ha-node-{index}"), _env);

    // The node whose /readyz says ha.role = "writer".
    private async Task<int> WriterAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var found = -1;
        await Until(
            async () =>
            {
                for (var i = 0; i < _nodes.Length; i++)
                {
                    if (_nodes[i] is not { } node)
                    {
                        continue;
                    }

                    try
                    {
                        using var response = await http.GetAsync(new Uri(node.AdminAddress, "/readyz"));
                        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                        if (json.RootElement.TryGetProperty("ha", out var ha) && ha.GetProperty("role").GetString() == "writer")
                        {
                            found = i;
                            return true;
                        }
                    }
                    catch (HttpRequestException)
                    {
                        // Not answering yet: the next poll asks again.
                    }
                }

                return false;
            },
            "an elected writer");
        return found;
    }

    private static Task Until(Func<bool> condition, string what) => Until(() => Task.FromResult(condition()), what);

    // Polls every 20 ms for up to 60 s; a run that never gets there stops with the reason.
    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"HA: no {what} within 60 s");
            }

            await Task.Delay(20);
        }
    }
}
