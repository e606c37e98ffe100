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
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => ClientAsync(client, sharedKey ? "node:perf-shared" : $"node:perf-writer-{c:000}", c, deadline, counters, latency))));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (p50, p95, p99, max) = latency.Percentiles();
        var extra = new Dictionary<string, double>
        {
            ["clients"] = clients,
            ["attempts"] = counters.Attempts,
            ["conflicts"] = counters.Conflicts,
            ["commit_requests_per_s"] = Math.Round(counters.CommitRequests / elapsed, 1),
            ["conflict_ratio"] = counters.Attempts == 0 ? 0 : Math.Round((double)counters.Conflicts / counters.Attempts, 4),
        };
        counters.AddErrorCauses(extra);
        return new Repetition
        {
            Throughput = Math.Round(counters.Successes / elapsed, 1),
            P50Ms = p50,
            P95Ms = p95,
            P99Ms = p99,
            MaxMs = max,
            Count = counters.Successes,
            Errors = counters.Errors,
            Extra = extra,
        };
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
