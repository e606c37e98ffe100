using System.Diagnostics;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;
using Registry.LoadTest.Systems;

namespace Registry.LoadTest;

/// <summary>Workload 6: the restarts (cold start, restore), each repetition a new server process.</summary>
public static partial class LargeDataPhase
{
    private static async Task<(RegistryServer?, EtcdServer)> ColdStartAsync(RunContext context, RegistryServer? registry, EtcdServer etcd, string? registryData, string etcdData, int etcdPeer)
    {
        Console.WriteLine("workload 6: cold start to ready");
        var row = context.Add(new WorkloadResult
        {
            Id = "cold-start",
            Group = "6. Cold start and restore",
            Variant = "stop, start, ready",
            Kind = WorkloadKind.Duration,
            Description = "Process start (taskset + runtime) until the first ready answer: svc-registry GET /readyz 200 (checkpoint loaded, log tail verified, listeners bound), etcd GET /health true. The OS page cache is warm (the data was just written or read).",
        });
        if (registry is not null)
        {
            var m = new SystemMeasurement { System = registry.Name };
            for (var i = 0; i < context.Settings.Repetitions; i++)
            {
                await registry.DisposeAsync();
                registry = await StartRegistryAsync(context, registryData!);
                m.Repetitions.Add(Started(registry));
            }

            row.Registry = Finish(m, registry);
        }

        var e = new SystemMeasurement { System = etcd.Name };
        for (var i = 0; i < context.Settings.Repetitions; i++)
        {
            await etcd.DisposeAsync();
            etcd = await EtcdServer.StartAsync(etcdData, context.ServerCpus, context.LogFile("etcd-large"), etcdPeer);
            e.Repetitions.Add(Started(etcd));
        }

        row.Etcd = Finish(e, etcd);
        return (registry, etcd);
    }

    private static async Task<(RegistryServer?, EtcdServer)> RestoreAsync(RunContext context, RegistryServer? registry, EtcdServer etcd, LargeDataSet data, string? registryData)
    {
        Console.WriteLine("workload 6: restore and start");
        var row = context.Add(new WorkloadResult
        {
            Id = "restore",
            Group = "6. Cold start and restore",
            Variant = $"restore {data.Descriptors:#,0} descriptors, start, ready",
            Kind = WorkloadKind.Duration,
            Description = "From a backup taken beforehand (svc-registry: RegistryStore.BackupAsync, i.e. `ronctl backup`; etcd: `etcdctl snapshot save`) into a fresh directory: svc-registry StoreRestore.RestoreAsync (what `ronctl restore` runs: verifies every digest, signature and link, the signatures in parallel, then copies) in a process of its own, then start to ready; etcd `etcdctl snapshot restore` then start to ready. Both restores run alone on the machine on every CPU (servers stopped, taskset over the load and server CPUs); the servers then start pinned as always. Extra columns in the JSON split restore and start.",
        });
        var snapshot = Path.Combine(context.NewDirectory("etcd-snapshot"), "snapshot.db");
        await Tool.RunAsync("etcdctl", "--endpoints", etcd.BaseAddress.ToString(), "snapshot", "save", snapshot);
        await etcd.DisposeAsync();
        if (registry is not null)
        {
            await registry.DisposeAsync();
            registry = null;
            var backup = Path.Combine(context.WorkDirectory, "registry-backup");
            await using (var store = await Registry.Store.RegistryStore.OpenAsync(new Registry.Store.RegistryStoreOptions { DataDirectory = registryData, CheckpointOnClose = false }, context.Trust.Genesis))
            {
                await store.BackupAsync(backup);
            }

            var m = new SystemMeasurement { System = "svc-registry", Note = context.Settings.RegistryRestoreRepetitions < context.Settings.Repetitions ? $"{context.Settings.RegistryRestoreRepetitions} repetition(s): each verifies the whole history's signatures." : null };
            for (var i = 0; i < context.Settings.RegistryRestoreRepetitions; i++)
            {
                var target = Path.Combine(context.WorkDirectory, $"registry-restored-{i}");
                var clock = Stopwatch.StartNew();
                await RestoreProcess.RunAsync(context.AllCpus, context.TrustRootsFile, backup, target);
                var restored = clock.Elapsed.TotalMilliseconds;
                if (registry is not null)
                {
                    await registry.DisposeAsync();
                }

                registry = await StartRegistryAsync(context, target);
                m.Repetitions.Add(Restored(restored, registry));
            }

            row.Registry = Finish(m, registry!);
        }

        var peer = FreePort.Next();
        var e = new SystemMeasurement { System = "etcd" };
        etcd = null!;
        for (var i = 0; i < context.Settings.Repetitions; i++)
        {
            var target = Path.Combine(context.WorkDirectory, $"etcd-restored-{i}");
            var peerUrl = $"http://127.0.0.1:{peer}";
            var clock = Stopwatch.StartNew();
            string[] restore = ["etcdctl", "snapshot", "restore", snapshot, "--data-dir", target, "--name", "perf", "--initial-cluster", $"perf={peerUrl}", "--initial-advertise-peer-urls", peerUrl];
            await (context.AllCpus is { } all ? Tool.RunAsync("taskset", ["-c", all, .. restore]) : Tool.RunAsync(restore[0], restore[1..]));
            var restored = clock.Elapsed.TotalMilliseconds;
            if (etcd is not null)
            {
                await etcd.DisposeAsync();
            }

            etcd = await EtcdServer.StartAsync(target, context.ServerCpus, context.LogFile("etcd-restored"), peer);
            e.Repetitions.Add(Restored(restored, etcd));
        }

        row.Etcd = Finish(e, etcd);
        return (registry, etcd);
    }

    private static Repetition Started(IServer server)
    {
        var sample = ProcSample.Read(server.Pid);
        return new Repetition
        {
            DurationMs = Math.Round(server.StartToReadyMs, 1),
            Count = 1,
            Extra = new Dictionary<string, double>
            {
                ["rss_mib_at_ready"] = Math.Round(sample?.RssMiB ?? 0, 1),
                ["cpu_seconds_to_ready"] = Math.Round(sample?.CpuSeconds ?? 0, 2),
            },
        };
    }

    private static Repetition Restored(double restoreMs, IServer server)
    {
        var started = Started(server);
        started.Extra["restore_ms"] = Math.Round(restoreMs, 1);
        started.Extra["start_to_ready_ms"] = started.DurationMs!.Value;
        return started with { DurationMs = Math.Round(restoreMs + started.DurationMs!.Value, 1) };
    }

    private static SystemMeasurement Finish(SystemMeasurement m, IServer last)
    {
        var sample = ProcSample.Read(last.Pid);
        m.RssMiB = sample is null ? null : Math.Round(sample.Value.RssMiB, 1);
        m.PeakRssMiB = sample is null ? null : Math.Round(sample.Value.PeakRssMiB, 1);
        Console.WriteLine($"  {m.System,-12} {Bench.Describe(m)}");
        return m;
    }
}
