using System.Globalization;
using Registry.LoadTest.Results;

namespace Registry.LoadTest;

/// <summary>
/// The service issue's targets, judged on svc-registry's own numbers from this run. A target whose workload did
/// not run (or a smoke run, whose counts are not the targets' counts) is "not measured", never "met".
/// </summary>
public static class ServiceTargets
{
    /// <summary>Fills <see cref="RunReport.Targets"/>.</summary>
    public static void Evaluate(RunReport report, HarnessSettings settings)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(settings);
        var rows = report.Workloads.ToDictionary(w => w.Id);
        SystemMeasurement? R(string id) => rows.TryGetValue(id, out var row) ? row.Registry : null;
        var n = settings.ManyClients;
        var targets = report.Targets;

        var head = R($"head-read-{n}");
        targets.Add(Target($"GET /registry/head at {n} connections", ">= 30,000 req/s, p99 < 5 ms", head,
            m => $"{F(m.Throughput)} req/s, p99 {F(m.P99Ms)} ms", m => m.Throughput >= 30_000 && m.P99Ms < 5));

        var many = R($"cas-write-{n}");
        targets.Add(Target($"commit, pre-collected 3-of-5 approvals, {n} clients", ">= 5,000 commits/s", many,
            m => $"{F(m.Throughput)} commits/s ({F(m.ExtraMedian("commit_requests_per_s"))} commit requests/s answered, {F(100 * m.ExtraMedian("conflict_ratio"))}% of attempts conflicted)",
            m => m.Throughput >= 5_000,
            "each commit is a CAS on the whole HEAD: per version one of the clients' proposals can commit, the others must re-propose; see workload 3."));

        var one = R("cas-write-1");
        targets.Add(Target("commit, pre-collected 3-of-5 approvals, 1 client", "p99 < 3 ms", one,
            m => $"p99 {F(m.P99Ms)} ms (p50 {F(m.P50Ms)} ms)", m => m.P99Ms < 3));

        var notify = R("notify-100");
        targets.Add(Target("commit → SSE delivery, 100 subscribers", "p99 < 5 ms at 1,000 commits/s, zero loss", notify,
            m => $"p99 {F(m.P99Ms)} ms at {F(m.Throughput)} commits/s achieved, {F(m.ExtraSum("lost"))} lost",
            m => m.P99Ms < 5 && m.ExtraSum("lost") == 0 && m.Throughput >= 950,
            notify?.Throughput < 950 ? "the writer could not offer 1,000 commits/s: each commit needs propose → 3 approvals → commit on the previous hash, every step durable." : null));

        var resume = R("resume");
        targets.Add(Target("replay 100,000 events via Last-Event-ID", "< 2 s", resume, m => $"{F(m.DurationMs / 1000)} s", m => m.DurationMs < 2000));

        var cold = R("cold-start");
        targets.Add(Target("start to ready, 50,000 descriptors", "< 1 s", cold, m => $"{F(m.DurationMs / 1000)} s", m => m.DurationMs < 1000));

        var memory = R("memory-large");
        targets.Add(Target("resident memory, 50,000 descriptors and 100,000 versions", "< 512 MiB", memory,
            m => $"{F(m.PeakRssMiB)} MiB peak ({F(m.RssMiB)} MiB after start)", m => m.PeakRssMiB < 512));

        var old = R("old-version-read");
        targets.Add(Target("version 1,000 commits older than the in-memory window", "< 100 ms", old, m => $"{F(m.DurationMs)} ms (slowest {F(m.MaxDurationMs)} ms)", m => m.MaxDurationMs < 100));

        if (settings.IsSmoke)
        {
            for (var i = 0; i < targets.Count; i++)
            {
                targets[i] = targets[i] with { Met = null, Note = null };
            }

            report.Notes.Add("smoke run: tiny counts and one repetition; the service targets are not judged.");
        }
    }

    private static TargetResult Target(string name, string goal, SystemMeasurement? m, Func<SystemMeasurement, string> measured, Func<SystemMeasurement, bool> met, string? note = null) =>
        m is null ? new TargetResult(name, goal, "not measured", null, note) : new TargetResult(name, goal, measured(m), met(m), note);

    private static string F(double? value) => value switch
    {
        null => "–",
        >= 100 => value.Value.ToString("#,0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.##", CultureInfo.InvariantCulture),
    };
}
