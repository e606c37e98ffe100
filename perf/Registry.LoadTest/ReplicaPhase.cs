using System.Globalization;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;
using Registry.LoadTest.Systems;
using Registry.LoadTest.Workloads;

namespace Registry.LoadTest;

/// <summary>
/// Issue 15's rows, workload 9: replica lag at 1,000 commits/s (a fresh primary and one <c>--follow</c> replica, both
/// real processes) and a replica bootstrapping from genesis through the large data set. The bootstrap runs inside the
/// large phase (on the primary it leaves running, <see cref="BootstrapAsync"/>); <c>--only replica</c> runs both here,
/// building the large data set offline first.
/// </summary>
public static class ReplicaPhase
{
    private const string Group = "9. Replicas";

    /// <summary>Lag, then (with <paramref name="withBootstrap"/>) the bootstrap on a data set built here.</summary>
    public static async Task RunAsync(RunContext context, bool withBootstrap)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Amnesia)
        {
            context.Report.Notes.Add("workload 9 (replicas) did not run: svc-registry ran with --amnesia.");
            return;
        }

        await LagAsync(context);
        if (!withBootstrap)
        {
            return;
        }

        var data = new LargeDataSet(context.Settings.LargeDescriptors, context.Settings.LargeCommits);
        var dir = context.NewDirectory("registry-replica-source");
        var (version, took) = await RegistryDataBuilder.BuildAsync(dir, context.Trust, data);
        Console.WriteLine($"  built {version:#,0} versions offline in {took.TotalSeconds:0.0} s");
        await using var primary = await RegistryServer.StartAsync(context.ServiceDll, context.ConfigFile, dir, amnesia: false, context.ServerCpus, context.LogFile("registry-replica-source"));
        await BootstrapAsync(context, primary, data);
        await BootstrapAsync(context, primary, data, fromCheckpoint: true);
    }

    /// <summary>A primary and a replica on fresh data directories; the pre-signed writer on the primary, the subscriber on the replica.</summary>
    public static async Task LagAsync(RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var s = context.Settings;
        var rate = s.IsSmoke ? s.NotifyRate : 1000;
        Console.WriteLine($"workload 9: replica lag, pre-signed writer on the primary at {rate} commits/s offered");
        await using var primary = await RegistryServer.StartAsync(context.ServiceDll, context.ConfigFile, context.NewDirectory("registry-lag-primary"), amnesia: false, context.ServerCpus, context.LogFile("registry-lag-primary"));
        // The replica gets a core of its own, as it would a machine: the load CPUs (the writer at 1,000/s takes little of
        // them). On the server CPUs with the primary, the one core is saturated and the lag measures the scheduler.
        await using var replica = await StartReplicaAsync(context, primary, "registry-lag-replica", context.LoadCpus);
        using var writer = new RegistryClient(primary.BaseAddress, context.Trust, NotifyRun.MaxInFlight);
        await writer.CommitChangesAsync(Enumerable.Range(0, Payload.Regions).Select(Payload.Region).Select(Payload.PutChange)); // the nodes' regions
        var warm = TimeSpan.FromTicks(Math.Min(s.WarmUp.Ticks, TimeSpan.FromSeconds(1).Ticks));
        context.Add(new WorkloadResult
        {
            Id = "replica-lag",
            Group = Group,
            Variant = $"primary + 1 replica, {rate.ToString("#,0", CultureInfo.InvariantCulture)} commits/s offered",
            Kind = WorkloadKind.Rate,
            ThroughputUnit = "commits/s achieved",
            Description = "Two svc-registry processes: a primary on the server CPUs and a replica started with --follow on the load CPUs (a core of its own, shared with the writer) (it reads the primary's /registry/stream and /registry/log and verifies every record: chain, approvals, quorum, state root by replay, then stores it durably). Pre-signed submissions to the primary as in workload 4b (up to 256 in flight); one SSE subscriber on the replica. Latency = the replica's stream frame for a commit received − the primary's 201 for it received: the frame goes out once the replica has verified, stored and published that version, i.e. when it serves it. Errors = commits never seen on the replica plus refused submissions. No etcd column: an etcd learner is not a read-serving verifier; etcd's nearest number is its watch delivery (workload 4).",
            Registry = await Bench.MeasureAsync(
                replica,
                s.Repetitions,
                _ => ReplicaLag.RunAsync(writer, replica.BaseAddress, rate, s.NotifyDuration),
                () => ReplicaLag.RunAsync(writer, replica.BaseAddress, rate, warm)),
        });
    }

    /// <summary>
    /// A replica on an empty data directory follows <paramref name="primary"/> (serving the large data set) until its
    /// HEAD is the primary's; etcd's column is the snapshot restore, start and ready of the same run (the restore row).
    /// </summary>
    /// <param name="context">The run.</param>
    /// <param name="primary">The primary serving the large data set.</param>
    /// <param name="data">The data set.</param>
    /// <param name="fromCheckpoint">With <c>replica.bootstrap = "checkpoint"</c>: the replica installs the primary's newest checkpoint (hash links 1..V and the state root checked, no signature), then verifies the rest.</param>
    public static async Task BootstrapAsync(RunContext context, RegistryServer primary, LargeDataSet data, bool fromCheckpoint = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(data);
        var mode = fromCheckpoint ? "checkpoint" : "genesis";
        Console.WriteLine($"workload 9: replica bootstrap from {mode}, {data.Commits:#,0} commits");
        using var reader = new RegistryClient(primary.BaseAddress, context.Trust, 1);
        var head = await reader.HeadAsync();
        var m = new SystemMeasurement
        {
            System = "svc-registry",
            Note = fromCheckpoint
                ? "each repetition checks the hash links of the whole history and the checkpoint's state root, and trusts the approvals up to the checkpoint (docs/REPLICATION.md)."
                : "each repetition verifies the whole history's signatures.",
        };
        RegistryServer? replica = null;
        try
        {
            for (var i = 0; i < context.Settings.RegistryRestoreRepetitions; i++)
            {
                if (replica is not null)
                {
                    await replica.DisposeAsync();
                }

                replica = await StartReplicaAsync(context, primary, $"registry-bootstrap-{mode}-{i}", context.AllCpus, fromCheckpoint);
                var caughtUp = await ReplicaLag.WaitForVersionAsync(replica.BaseAddress, head.Version, TimeSpan.FromSeconds(600));
                var sample = ProcSample.Read(replica.Pid);
                m.Repetitions.Add(new Repetition
                {
                    DurationMs = Math.Round(replica.StartToReadyMs + caughtUp.TotalMilliseconds, 1),
                    Throughput = Math.Round(head.Version / ((replica.StartToReadyMs + caughtUp.TotalMilliseconds) / 1000), 1),
                    Count = head.Version,
                    Extra = new Dictionary<string, double>
                    {
                        ["start_to_ready_ms"] = Math.Round(replica.StartToReadyMs, 1),
                        ["ready_to_head_ms"] = Math.Round(caughtUp.TotalMilliseconds, 1),
                        ["versions"] = head.Version,
                        ["cpu_seconds"] = Math.Round(sample?.CpuSeconds ?? 0, 2),
                    },
                });
            }

            var last = ProcSample.Read(replica!.Pid);
            m.RssMiB = last is null ? null : Math.Round(last.Value.RssMiB, 1);
            m.PeakRssMiB = last is null ? null : Math.Round(last.Value.PeakRssMiB, 1);
        }
        finally
        {
            if (replica is not null)
            {
                await replica.DisposeAsync();
            }
        }

        Console.WriteLine($"  {m.System,-12} {Bench.Describe(m)}");
        context.Add(fromCheckpoint ? new WorkloadResult
        {
            Id = "replica-bootstrap-checkpoint",
            Group = Group,
            Variant = $"replica from the primary's checkpoint through {data.Descriptors:#,0} descriptors / {data.Commits:#,0} commits",
            Kind = WorkloadKind.Duration,
            ThroughputUnit = "versions/s",
            Description = "As the row before, with replica.bootstrap = \"checkpoint\": the replica reads the primary's newest checkpoint (GET /registry/checkpoints/latest, the state snapshot at HEAD) and the log 1..V, checks the hash links from its pinned genesis to record V, the snapshot's state root against record V, and the signer set, committed proposals and last writers against the records (no approval signature is verified up to V: that is what the mode trusts), stores the records and installs the state as its own checkpoint; it is ready when that is durable. etcd column: the restore row's etcd measurement from the same run.",
            Registry = m,
            Etcd = context.Report.Workloads.FirstOrDefault(w => w.Id == "restore")?.Etcd,
        } : new WorkloadResult
        {
            Id = "replica-bootstrap",
            Group = Group,
            Variant = $"replica from genesis through {data.Descriptors:#,0} descriptors / {data.Commits:#,0} commits",
            Kind = WorkloadKind.Duration,
            ThroughputUnit = "versions/s",
            Description = "A replica started with --follow on an empty data directory (taskset over every CPU, as the restores; the primary stays pinned to the server CPUs and serves /registry/log), from process start until its GET /registry/head is the primary's HEAD (polled every 20 ms): every record fetched over HTTP and fully verified (chain, proposal id, 3-of-5 approvals under the signer set of its version, scoped commit rule, state root by replay; signatures in parallel ahead of the apply) and stored durably. etcd column: the restore row's etcd measurement from the same run (etcdctl snapshot restore, start, ready), the nearest equivalent of a new member that is handed a snapshot.",
            Registry = m,
            Etcd = context.Report.Workloads.FirstOrDefault(w => w.Id == "restore")?.Etcd,
        });
    }

    private static Task<RegistryServer> StartReplicaAsync(RunContext context, RegistryServer primary, string name, string? cpus = null, bool fromCheckpoint = false) =>
        RegistryServer.StartAsync(
            context.ServiceDll,
            context.ConfigFile,
            context.NewDirectory(name),
            amnesia: false,
            cpus ?? context.ServerCpus,
            context.LogFile(name),
            new Dictionary<string, string>
            {
                ["SVCR_REPLICA__PRIMARY"] = primary.BaseAddress.ToString(),
                ["SVCR_REPLICA__BOOTSTRAP"] = fromCheckpoint ? "checkpoint" : "genesis",
            });
}
