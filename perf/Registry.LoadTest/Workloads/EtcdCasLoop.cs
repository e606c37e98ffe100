using System.Diagnostics;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// N clients, each in a closed loop: read the key's mod revision (serializable range), then a txn that puts the
/// descriptor only if the mod revision is unchanged. On one shared key this is the registry's semantics (one
/// winner per revision, the rest retry); on a key per client nothing ever conflicts (etcd's best case). The txn
/// latency of successful writes is recorded.
/// </summary>
public static class EtcdCasLoop
{
    /// <summary>Runs the loop for <paramref name="duration"/>.</summary>
    public static async Task<Repetition> RunAsync(EtcdClient client, int clients, bool sharedKey, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(client);
        var counters = new CasCounters();
        var latency = new LatencyRecorder();
        var elapsed = await ClosedLoop.RunAsync(clients, duration, (c, deadline) => ClientAsync(client, sharedKey ? "node:perf-shared" : $"node:perf-writer-{c:000}", c, deadline, counters, latency));
        return ClosedLoop.Repetition(latency, counters, elapsed, ClosedLoop.Extra(clients, counters, elapsed));
    }

    private static async Task ClientAsync(EtcdClient client, string id, int c, long deadline, CasCounters counters, LatencyRecorder latency)
    {
        var key = Payload.Key(id);
        long generation = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            counters.Attempt();
            try
            {
                var (mod, _) = await client.GetAsync(key);
                var value = Payload.Node(id, c, ++generation).CanonicalBytes.ToArray();
                var start = Stopwatch.GetTimestamp();
                counters.CommitRequest();
                var ok = await client.CasAsync(key, mod, value);
                var end = Stopwatch.GetTimestamp();
                if (ok)
                {
                    counters.Success();
                    latency.Record(end - start);
                }
                else
                {
                    counters.Conflict();
                }
            }
            catch (HttpRequestException ex)
            {
                counters.Error(ex.StatusCode is { } code ? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture) : ex.HttpRequestError.ToString());
            }
        }
    }
}
