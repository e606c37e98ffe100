using Registry.LoadTest.Clients;
using Registry.LoadTest.Systems;
using Registry.LoadTest.Workloads;

namespace Registry.LoadTest;

/// <summary>
/// Workloads 1-4 (with issue 12's 3c, 3d and 4b, and issue 16's 3e and 1b) on a small data set: both servers started on fresh data directories, seeded with the same
/// descriptors, then reads (wrk), CAS writes and change notification (this harness), then both stopped before 3e and 1b,
/// which start servers of their own.
/// </summary>
public static class SmallDataPhase
{
    /// <summary>Runs the phase.</summary>
    /// <param name="context">The run.</param>
    /// <param name="preSignedOnly">Only workload 3c (<c>--only presigned</c>): the quick check of the commit path.</param>
    /// <param name="notifyOnly">Only workload 4b (<c>--only notify</c>): the quick check of commit → SSE delivery (svc-registry alone; no etcd column).</param>
    public static async Task RunAsync(RunContext context, bool preSignedOnly = false, bool notifyOnly = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        Console.WriteLine(preSignedOnly ? "phase 1: small data set (workload 3c only)" : notifyOnly ? "phase 1: small data set (workload 4b only)" : "phase 1: small data set (workloads 1-4)");
        await using var etcdServer = await EtcdServer.StartAsync(context.NewDirectory("etcd-small"), context.ServerCpus, context.LogFile("etcd-small"));
        await using var registryServer = await RegistryServer.StartAsync(context.ServiceDll, context.ConfigFile, context.NewDirectory("registry-small"), context.Amnesia, context.ServerCpus, context.LogFile("registry-small"));
        var connections = Math.Max(64, context.Settings.ManyClients * 4);
        using var registry = new RegistryClient(registryServer.BaseAddress, context.Trust, connections);
        using var etcd = new EtcdClient(etcdServer.BaseAddress, connections);
        var data = await SmallDataSet.SeedAsync(registry, etcd, context.Settings.SmallDescriptors);
        if (preSignedOnly)
        {
            await new PreSignedWorkloads(context, registryServer, etcdServer, registry, etcd).RunRowsAsync();
            await registryServer.StopAsync();
            await etcdServer.StopAsync();
            return;
        }

        if (notifyOnly)
        {
            // Alone, the server has not been warmed by workloads 1-4 (the JIT still tiers the stream and commit paths up):
            // a longer warm-up repetition stands in for them.
            await new PreSignedWorkloads(context, registryServer, etcdServer, registry, etcd).NotifyAsync(context.Settings.IsSmoke ? null : TimeSpan.FromSeconds(8));
            await registryServer.StopAsync();
            await etcdServer.StopAsync();
            return;
        }

        var reads = new ReadWorkloads(context, registryServer, etcdServer, data);
        await reads.HeadReadAsync();
        await reads.HistoricalReadAsync();
        await new CasWorkloads(context, registryServer, etcdServer, registry, etcd).RunAsync();
        var preSigned = new PreSignedWorkloads(context, registryServer, etcdServer, registry, etcd);
        await preSigned.RunAsync();
        await new NotifyWorkloads(context, registryServer, etcdServer, registry, etcd).RunAsync();
        await preSigned.NotifyAsync();
        await registryServer.StopAsync();
        await etcdServer.StopAsync();

        // 3e and 1b start servers of their own: the ones above are stopped first, so that nothing else shares the
        // server CPU with them and a full run measures them as `--only tlog` does.
        await new TransparencyWorkloads(context).RunAsync();
    }
}
