using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Systems;

namespace Registry.LoadTest.Workloads;

/// <summary>Workload 4: commit → SSE event against put → watch event, at the offered rate, for each subscriber count.</summary>
public sealed class NotifyWorkloads(RunContext context, IServer registryServer, IServer etcdServer, RegistryClient registry, EtcdClient etcd)
{
    /// <summary>Runs one row per subscriber count.</summary>
    public async Task RunAsync()
    {
        var s = context.Settings;
        var warm = TimeSpan.FromTicks(Math.Min(s.WarmUp.Ticks, TimeSpan.FromSeconds(1).Ticks));
        foreach (var subscribers in s.NotifySubscribers)
        {
            Console.WriteLine($"workload 4: change notification, {subscribers} subscriber(s) at {s.NotifyRate} writes/s offered");
            context.Add(new WorkloadResult
            {
                Id = $"notify-{subscribers}",
                Group = "4. Change notification",
                Variant = $"{subscribers} subscriber{(subscribers == 1 ? string.Empty : "s")}, {s.NotifyRate} writes/s offered",
                Kind = WorkloadKind.Rate,
                ThroughputUnit = "writes/s achieved",
                Description = "Latency = event received by a subscriber − write request sent (includes the durable write); over every subscriber and event. Errors column = events lost: acknowledged writes a subscriber had not received when its stream had gone 3 s without a new event. The registry writer is closed-loop (each commit needs the previous hash), etcd's is open-loop with up to 256 puts in flight.",
                Registry = await Bench.MeasureAsync(
                    registryServer,
                    s.Repetitions,
                    _ => RegistryNotify.RunAsync(registry, subscribers, s.NotifyRate, s.NotifyDuration),
                    () => RegistryNotify.RunAsync(registry, subscribers, s.NotifyRate, warm)),
                Etcd = await Bench.MeasureAsync(
                    etcdServer,
                    s.Repetitions,
                    _ => EtcdNotify.RunAsync(etcd, subscribers, s.NotifyRate, s.NotifyDuration),
                    () => EtcdNotify.RunAsync(etcd, subscribers, s.NotifyRate, warm)),
            });
        }
    }
}
