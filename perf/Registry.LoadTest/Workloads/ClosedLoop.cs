using System.Diagnostics;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// N clients, each in a closed loop (its next attempt when its previous answer arrived) until the deadline, and
/// the repetition such a write loop reports: successes per second, the latencies recorded, and the outcome
/// counters as extra columns.
/// </summary>
public static class ClosedLoop
{
    /// <summary>Runs <paramref name="client"/>(index, deadline timestamp) for each of <paramref name="clients"/> clients; returns the seconds it took.</summary>
    public static async Task<double> RunAsync(int clients, TimeSpan duration, Func<int, long, Task> client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => client(c, deadline))));
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>The loop's outcome counters as extra columns (<c>clients</c>, <c>attempts</c>, <c>conflicts</c>, …, <c>error_&lt;cause&gt;</c>).</summary>
    public static Dictionary<string, double> Extra(int clients, CasCounters counters, double elapsed)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var extra = new Dictionary<string, double>
        {
            ["clients"] = clients,
            ["attempts"] = counters.Attempts,
            ["conflicts"] = counters.Conflicts,
            ["expired"] = counters.Expired,
            ["commit_requests_per_s"] = Math.Round(counters.CommitRequests / elapsed, 1),
            ["conflict_ratio"] = counters.Attempts == 0 ? 0 : Math.Round((double)counters.Conflicts / counters.Attempts, 4),
        };
        counters.AddErrorCauses(extra);
        return extra;
    }

    /// <summary>Successes per second with the percentiles of <paramref name="latencies"/> and a copy of <paramref name="extra"/>.</summary>
    public static Repetition Repetition(LatencyRecorder latencies, CasCounters counters, double elapsed, Dictionary<string, double> extra)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        ArgumentNullException.ThrowIfNull(counters);
        var (p50, p95, p99, max) = latencies.Percentiles();
        return new Repetition
        {
            Throughput = Math.Round(counters.Successes / elapsed, 1),
            P50Ms = p50,
            P95Ms = p95,
            P99Ms = p99,
            MaxMs = max,
            Count = counters.Successes,
            Errors = counters.Errors,
            Extra = new Dictionary<string, double>(extra),
        };
    }
}
