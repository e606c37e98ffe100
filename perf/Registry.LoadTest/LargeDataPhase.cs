using System.Diagnostics;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;
using Registry.LoadTest.Systems;
using Registry.LoadTest.Workloads;

namespace Registry.LoadTest;

/// <summary>
/// Workloads 5 and 6, resident memory and the old-version read, on the large data set (50,000 descriptors,
/// 100,000 commits): svc-registry's data directory is written offline through Registry.Store, etcd is loaded
/// through its gateway; then both are started on them. svc-registry parts are skipped when it has no durable storage.
/// </summary>
public static partial class LargeDataPhase
{
    /// <summary>Runs the phase.</summary>
    public static async Task RunAsync(RunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var data = new LargeDataSet(context.Settings.LargeDescriptors, context.Settings.LargeCommits);
        Console.WriteLine($"phase 2: large data set, {data.Descriptors:#,0} descriptors in {data.Commits:#,0} commits (workloads 5-6)");
        // The offline build (harness CPU) and etcd's load (etcd's CPU, mostly) run side by side to save wall time.
        var builtData = context.NewDirectory("registry-large");
        var build = Task.Run(() => RegistryDataBuilder.BuildAsync(builtData, context.Trust, data));
        var etcdPeer = FreePort.Next();
        var etcdData = context.NewDirectory("etcd-large");
        var etcd = await EtcdServer.StartAsync(etcdData, context.ServerCpus, context.LogFile("etcd-large"), etcdPeer);
        RegistryServer? registry = null;
        try
        {
            long headRevision;
            using (var loader = new EtcdClient(etcd.BaseAddress, EtcdLoader.InFlight))
            {
                var (revision, loadTook) = await EtcdLoader.LoadAsync(loader, data);
                headRevision = revision;
                context.Report.Notes.Add($"etcd's large data set ({data.Commits:#,0} puts, revision {revision:#,0}) was loaded through the gateway with {EtcdLoader.InFlight} puts in flight in {loadTook.TotalSeconds:0.0} s (while svc-registry's was being built).");
            }

            var (version, took) = await build;
            context.Report.Notes.Add($"svc-registry's large data set ({version:#,0} versions, 5 events each) was written offline through Registry.Store in {took.TotalSeconds:0.0} s (while etcd was being loaded).");
            var registryData = context.Amnesia ? null : builtData;
            if (context.Amnesia)
            {
                // The service cannot serve a data directory in this build; the library's own open time is the nearest honest number.
                var clock = Stopwatch.StartNew();
                await using var store = await Registry.Store.RegistryStore.OpenAsync(new Registry.Store.RegistryStoreOptions { DataDirectory = builtData, CheckpointOnClose = false }, context.Trust.Genesis);
                context.Report.Notes.Add($"svc-registry could not be started on it (no durable storage in this build); Registry.Store alone (RegistryStore.OpenAsync, in the harness process) recovered version {store.Recovered.Version:#,0} with {store.Recovered.Descriptors.Count:#,0} descriptors in {clock.Elapsed.TotalMilliseconds:0} ms. Not a service number.");
            }

            if (registryData is not null)
            {
                registry = await StartRegistryAsync(context, registryData);
            }

            var memory = new MemoryRow(registry, etcd);
            await ResumeAsync(context, registry, etcd, data, headRevision, memory);
            await OldVersionAsync(context, registry, etcd, data, headRevision, memory);
            context.Add(memory.Row(data));

            (registry, etcd) = await ColdStartAsync(context, registry, etcd, registryData, etcdData, etcdPeer);
            (registry, etcd) = await RestoreAsync(context, registry, etcd, data, registryData);
            if (registry is not null)
            {
                await ReplicaPhase.BootstrapAsync(context, registry, data);
                await ReplicaPhase.BootstrapAsync(context, registry, data, fromCheckpoint: true);
            }
        }
        finally
        {
            if (registry is not null)
            {
                await registry.DisposeAsync();
            }

            if (etcd is not null)
            {
                await etcd.DisposeAsync();
            }
        }
    }

    private static Task<RegistryServer> StartRegistryAsync(RunContext context, string dataDir) =>
        RegistryServer.StartAsync(context.ServiceDll, context.ConfigFile, dataDir, amnesia: false, context.ServerCpus, context.LogFile("registry-large"));

    private static async Task ResumeAsync(RunContext context, RegistryServer? registry, EtcdServer etcd, LargeDataSet data, long headRevision, MemoryRow memory)
    {
        Console.WriteLine($"workload 5: resume, replay {data.Commits:#,0} events");
        var reps = context.Settings.Repetitions;
        var row = context.Add(new WorkloadResult
        {
            Id = "resume",
            Group = "5. Resume",
            Variant = $"replay {data.Commits:#,0} events from position 0",
            Kind = WorkloadKind.Duration,
            ThroughputUnit = "events/s",
            Description = "svc-registry GET /registry/stream with Last-Event-ID: 0 until the event of HEAD arrives; etcd POST /v3/watch on desc/ with start_revision 2 until every change arrived (the 10 region puts of revision 2 count as 10 events, so etcd delivers 9 more). Each event carries one 256-byte descriptor (the first registry event: 10). New connection each repetition.",
            Registry = registry is null ? null : await Bench.MeasureAsync(registry, reps, _ => ResumeReplay.RegistryAsync(registry.BaseAddress, 0, data.Commits), null),
            Etcd = await Bench.MeasureAsync(etcd, reps, _ => ResumeReplay.EtcdAsync(etcd.BaseAddress, 2, data.KeyChanges), null),
        });
        memory.Observe(row);
    }

    private static async Task OldVersionAsync(RunContext context, RegistryServer? registry, EtcdServer etcd, LargeDataSet data, long headRevision, MemoryRow memory)
    {
        // 1,000 versions older than the in-memory window of 1,024; each repetition reads another such version.
        const long behind = 1024 + 1000;
        Console.WriteLine($"old-version read: {behind:#,0} versions behind HEAD");
        var reps = context.Settings.Repetitions;
        using var registryHttp = registry is null ? null : HttpClients.Create(registry.BaseAddress, 1);
        using var etcdHttp = HttpClients.Create(etcd.BaseAddress, 1);
        var row = context.Add(new WorkloadResult
        {
            Id = "old-version-read",
            Group = "7. Old-version read",
            Variant = $"a version {behind:#,0} commits behind HEAD",
            Kind = WorkloadKind.Duration,
            Description = $"svc-registry GET /registry/(HEAD − {behind} − 100·i) (older than storage.history_window = 1024: rebuilt from an anchor state and the log); etcd range desc/ at the matching revision, serializable. Both answer all {data.Descriptors:#,0} descriptors; one request per repetition, each for another version.",
            Registry = registryHttp is null ? null : await Bench.MeasureAsync(registry!, reps, i => OldVersionRead.RegistryAsync(registryHttp, Math.Max(1, data.Commits - behind - (100 * i))), null),
            Etcd = await Bench.MeasureAsync(etcd, reps, i => OldVersionRead.EtcdAsync(etcdHttp, Math.Max(2, headRevision - behind - (100 * i))), null),
        });
        memory.Observe(row);
    }
}
