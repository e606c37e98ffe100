using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Systems;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Workload 3: CAS writes at 1 and N clients. svc-registry commits a proposal it has just had approved 3-of-5;
/// etcd runs a compare-on-mod-revision txn on one shared key (the same semantics) and, at N clients, on a key per
/// client (etcd's best case, which the registry has no equivalent of). The registry's full flow
/// (propose → 3 approvals → commit) comes from the same runs.
/// </summary>
public sealed class CasWorkloads(RunContext context, IServer registryServer, IServer etcdServer, RegistryClient registry, EtcdClient etcd)
{
    private const string Group = "3. CAS write";
    private const string FlowGroup = "3b. Registry full flow (propose → 3 approvals → commit)";

    /// <summary>Runs every CAS row.</summary>
    public async Task RunAsync()
    {
        var settings = context.Settings;
        foreach (var clients in new[] { 1, settings.ManyClients })
        {
            Console.WriteLine($"workload 3: CAS write, {clients} client(s)");
            var flowReps = new List<Repetition>();
            var commit = await Bench.MeasureAsync(
                registryServer,
                settings.Repetitions,
                async _ =>
                {
                    var (c, f) = await RegistryCasLoop.RunAsync(registry, clients, settings.WriteDuration);
                    flowReps.Add(f);
                    return c;
                },
                () => RegistryCasLoop.RunAsync(registry, clients, settings.WarmUp),
                clients > 1 ? "Every commit is a CAS on the whole HEAD: one of the clients that proposed on a HEAD wins, the rest get 409 and re-propose (see conflicts)." : null);
            var shared = await Bench.MeasureAsync(
                etcdServer,
                settings.Repetitions,
                _ => EtcdCasLoop.RunAsync(etcd, clients, sharedKey: true, settings.WriteDuration),
                () => EtcdCasLoop.RunAsync(etcd, clients, sharedKey: true, settings.WarmUp),
                clients > 1 ? "One shared key: one txn per mod revision succeeds, the rest fail the compare and retry (see conflicts)." : null);
            var suffix = clients == 1 ? "1 client" : $"{clients} clients";
            context.Add(new WorkloadResult
            {
                Id = $"cas-write-{clients}",
                Group = Group,
                Variant = clients == 1 ? suffix : $"{suffix}, one shared HEAD / key",
                Kind = WorkloadKind.Rate,
                ThroughputUnit = "writes/s",
                Description = "Throughput = successful writes per second of wall time (each client also reads HEAD / the key's revision before writing, and the registry client gets 3 approvals first); latency = the commit request / txn alone, successful ones. The written value is one 256-byte descriptor.",
                Registry = commit,
                Etcd = shared,
            });

            var flow = new SystemMeasurement
            {
                System = commit.System,
                CpuCores = commit.CpuCores,
                LoadCpuCores = commit.LoadCpuCores,
                PeerCpuCores = commit.PeerCpuCores,
                OtherCpuCores = commit.OtherCpuCores,
                RssMiB = commit.RssMiB,
                PeakRssMiB = commit.PeakRssMiB,
                Repetitions = flowReps,
                Note = "etcd has no multi-party approval step, so no etcd column; same runs as the CAS write row.",
            };
            context.Add(new WorkloadResult
            {
                Id = $"full-flow-{clients}",
                Group = FlowGroup,
                Variant = suffix,
                Kind = WorkloadKind.Rate,
                ThroughputUnit = "commits/s",
                Description = "Latency = propose → 3 approvals (sent together) → commit, for commits that succeeded; every step is durable before it is answered.",
                Registry = flow,
            });

            if (clients > 1)
            {
                Console.WriteLine($"workload 3: etcd CAS write, {clients} clients on a key each");
                context.Add(new WorkloadResult
                {
                    Id = $"cas-write-{clients}-key-per-client",
                    Group = Group,
                    Variant = $"{suffix}, etcd key per client",
                    Kind = WorkloadKind.Rate,
                    ThroughputUnit = "writes/s",
                    Description = "etcd's best case: each client CASes its own key, so nothing conflicts and etcd batches the concurrent txns into shared fsyncs. The registry has no per-key CAS (one HEAD), hence no registry column.",
                    Etcd = await Bench.MeasureAsync(
                        etcdServer,
                        settings.Repetitions,
                        _ => EtcdCasLoop.RunAsync(etcd, clients, sharedKey: false, settings.WriteDuration),
                        () => EtcdCasLoop.RunAsync(etcd, clients, sharedKey: false, settings.WarmUp)),
                });
            }
        }
    }
}
