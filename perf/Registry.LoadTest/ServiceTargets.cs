using System.Globalization;
using Registry.LoadTest.Results;

namespace Registry.LoadTest;

/// <summary>
/// The service issues' targets, judged on svc-registry's own numbers from this run; the write targets are issue 12's
/// (pre-signed submissions, the three-step flow, SSE delivery with a pre-signed writer, checkpoints), judged against
/// etcd's numbers from the same run where the issue states them as ratios. A target whose workload did
/// not run (or a smoke run, whose counts are not the targets' counts) is "not measured", never "met".
/// </summary>
public static class ServiceTargets
{
    /// <summary>Fills <see cref="RunReport.Targets"/>.</summary>
    public static void Evaluate(RunReport report, HarnessSettings settings, bool ha = false)
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

        // Issue 12 ("Write plane v2"), measured side by side with etcd in the same run.
        var many = rows.GetValueOrDefault($"presigned-{n}");
        targets.Add(Target($"pre-signed 3-of-5 submissions, {n} clients, a descriptor each", ">= 1.5x etcd's txn on a key per client, p99 < 20 ms, 0 conflicts", many?.Registry,
            m => $"{F(m.Throughput)} commits/s = {F(Ratio(m.Throughput, many!.Etcd?.Throughput))}x etcd's {F(many.Etcd?.Throughput)} txn/s; p99 {F(m.P99Ms)} ms; {F(m.ExtraSum("conflicts"))} conflicts",
            m => many!.Etcd?.Throughput is { } etcd && m.Throughput >= 1.5 * etcd && m.P99Ms < 20 && m.ExtraSum("conflicts") == 0));

        var one = rows.GetValueOrDefault("presigned-1");
        targets.Add(Target("pre-signed 3-of-5 submission, 1 client", ">= etcd's 1-client txn throughput, p99 < 2 ms", one?.Registry,
            m => $"{F(m.Throughput)} commits/s = {F(Ratio(m.Throughput, one!.Etcd?.Throughput))}x etcd's {F(one.Etcd?.Throughput)} txn/s; p99 {F(m.P99Ms)} ms",
            m => one!.Etcd?.Throughput is { } etcd && m.Throughput >= etcd && m.P99Ms < 2));

        var flow = R($"full-flow-{n}");
        targets.Add(Target($"three-step flow (propose, 3 approvals, commit), {n} clients on disjoint descriptors", ">= 1,000 flows/s", flow,
            m => $"{F(m.Throughput)} flows/s (p99 {F(m.P99Ms)} ms)", m => m.Throughput >= 1_000));

        var subscribers = settings.NotifySubscribers.Max();
        var notify = R($"notify-presigned-{subscribers}");
        var rate = settings.NotifyRate.ToString("#,0", CultureInfo.InvariantCulture);
        targets.Add(Target($"commit → SSE delivery, {subscribers} subscribers, {rate} commits/s offered (pre-signed writer)", $"{rate} commits/s achieved, p99 < 5 ms, zero loss", notify,
            m => $"p99 {F(m.P99Ms)} ms at {F(m.Throughput)} commits/s achieved, {F(m.ExtraSum("lost"))} lost, {F(m.Errors)} errors",
            m => m.P99Ms < 5 && m.ExtraSum("lost") == 0 && m.Errors == 0 && m.Throughput >= 0.95 * settings.NotifyRate));

        var with = R($"presigned-{n}-checkpoints");
        var without = R($"presigned-{n}-no-checkpoints");
        targets.Add(Target($"p99 commit latency while checkpoints are taken, {n} clients pre-signed", "<= 1.5x p99 of the same run without checkpoints", without is null ? null : with,
            m => $"p99 {F(m.P99Ms)} ms with ({F(m.ExtraSum("checkpoints"))} checkpoints taken) vs {F(without!.P99Ms)} ms without = {F(Ratio(m.P99Ms, without.P99Ms))}x",
            m => m.ExtraSum("checkpoints") > 0 && m.P99Ms <= 1.5 * without!.P99Ms,
            with is { } w && w.ExtraSum("checkpoints") == 0 ? "no checkpoint was written during the measured repetitions, so the comparison proves nothing." : null));

        // Issue 16 (transparency log): signing and two witnesses cost at most 10% of commit throughput; bundle reads.
        var witnessed = R($"tlog-presigned-{n}-witnessed");
        var plain = R($"tlog-presigned-{n}-plain");
        targets.Add(Target($"pre-signed submissions, {n} clients, checkpoints signed and cosigned by two witnesses", ">= 0.9x the same run without signing", plain is null ? null : witnessed,
            m => $"{F(m.Throughput)} commits/s vs {F(plain!.Throughput)} without = {F(Ratio(m.Throughput, plain.Throughput))}x; cosigned tree grew {F(m.ExtraSum("cosigned_growth"))}",
            m => m.Throughput >= 0.9 * plain!.Throughput && m.ExtraSum("cosigned_growth") > 0,
            witnessed is { } wm && wm.ExtraSum("cosigned_growth") == 0 ? "the witnessed checkpoint did not advance during the measured repetitions, so the witnesses were not keeping up." : null));
        var bundles = R($"proof-bundle-read-{n}");
        targets.Add(Target($"GET /registry/descriptors/{{id}}?proof=full at {n} connections", ">= 20,000 req/s", bundles,
            m => $"{F(m.Throughput)} req/s, p99 {F(m.P99Ms)} ms", m => m.Throughput >= 20_000));

        var resume = R("resume");
        targets.Add(Target("replay 100,000 events via Last-Event-ID", "< 2 s", resume, m => $"{F(m.DurationMs / 1000)} s", m => m.DurationMs < 2000));

        var cold = R("cold-start");
        targets.Add(Target("start to ready, 50,000 descriptors", "< 1 s", cold, m => $"{F(m.DurationMs / 1000)} s", m => m.DurationMs < 1000));

        var memory = R("memory-large");
        targets.Add(Target("resident memory, 50,000 descriptors and 100,000 versions", "< 512 MiB", memory,
            m => $"{F(m.PeakRssMiB)} MiB peak ({F(m.RssMiB)} MiB after start)", m => m.PeakRssMiB < 512));

        var old = R("old-version-read");
        targets.Add(Target("version 1,000 commits older than the in-memory window", "< 100 ms", old, m => $"{F(m.DurationMs)} ms (slowest {F(m.MaxDurationMs)} ms)", m => m.MaxDurationMs < 100));

        // Issue 15 (replicas).
        var lag = R("replica-lag");
        targets.Add(Target("replica lag at 1,000 commits/s (primary's 201 → the replica's stream frame)", "p99 < 50 ms, 1,000 commits/s achieved, nothing missed", lag,
            m => $"p99 {F(m.P99Ms)} ms (p50 {F(m.P50Ms)} ms) at {F(m.Throughput)} commits/s achieved, {F(m.ExtraSum("lost"))} missed, {F(m.Errors)} errors",
            m => m.P99Ms < 50 && m.ExtraSum("lost") == 0 && m.Errors == 0 && m.Throughput >= 950));
        var bootstrap = rows.GetValueOrDefault("replica-bootstrap");
        targets.Add(Target("replica bootstrap from genesis, 50,000 descriptors / 100,000 commits, fully verified", "< 10 s", bootstrap?.Registry,
            m => $"{F(m.DurationMs / 1000)} s (etcd snapshot restore, start, ready: {F(bootstrap!.Etcd?.DurationMs / 1000)} s)", m => m.DurationMs < 10_000));

        if (ha)
        {
            HaTargets(rows, settings, targets);
        }

        if (settings.IsSmoke)
        {
            for (var i = 0; i < targets.Count; i++)
            {
                targets[i] = targets[i] with { Met = null, Note = null };
            }

            report.Notes.Add("smoke run: tiny counts and one repetition; the service targets are not judged.");
        }
    }

    // Issue 17 (high availability on etcd), only with --ha: 3 nodes on a 3-member etcd cluster, same run.
    private static void HaTargets(Dictionary<string, WorkloadResult> rows, HarnessSettings settings, List<TargetResult> targets)
    {
        var n = settings.ManyClients;
        var commits = rows.GetValueOrDefault($"ha-presigned-{n}");
        targets.Add(Target($"HA: pre-signed submissions, {n} clients, 3 nodes on a 3-member etcd cluster", ">= 0.8x etcd's txn on a key per client on the same cluster", commits?.Registry,
            m => $"{F(m.Throughput)} commits/s = {F(Ratio(m.Throughput, commits!.Etcd?.Throughput))}x etcd's {F(commits.Etcd?.Throughput)} txn/s; p99 {F(m.P99Ms)} ms",
            m => commits!.Etcd?.Throughput is { } etcd && m.Throughput >= 0.8 * etcd));

        var failover = rows.GetValueOrDefault("ha-failover")?.Registry;
        var bound = (settings.HaLeaseTtlSeconds + 1) * 1000.0;
        targets.Add(Target($"HA fail-over: SIGKILL of the writer → next acknowledged commit, {settings.HaKills} kills", $"p99 < lease TTL + 1 s ({bound / 1000:0} s)", failover,
            m => $"p99 {F(P99(m))} ms (median {F(m.DurationMs)} ms, max {F(m.MaxDurationMs)} ms) over {F(m.ExtraSum("kills"))} kills",
            m => m.ExtraSum("kills") >= settings.HaKills && P99(m) < bound));

        var single = rows.GetValueOrDefault($"ha-head-read-single-{n}")?.Registry;
        var nodes = new[] { "writer", "follower" }.Select(id => rows.GetValueOrDefault($"ha-head-read-{id}-{n}")?.Registry).OfType<SystemMeasurement>().ToList();
        var slowest = nodes.MinBy(m => m.Throughput ?? 0);
        targets.Add(Target($"HA: GET /registry/head on any node at {n} connections", "within 10% of a single FasterLog node in the same run", single is null || nodes.Count < 2 ? null : slowest,
            m => $"slowest HA node {F(m.Throughput)} req/s (writer {F(nodes[0].Throughput)}, follower {F(nodes[1].Throughput)}) = {F(Ratio(m.Throughput, single!.Throughput))}x the single node's {F(single.Throughput)} req/s",
            m => m.Throughput >= 0.9 * single!.Throughput));
    }

    // The p99 of a measurement whose repetitions are one event each (the HA kills).
    private static double P99(SystemMeasurement m)
    {
        var sorted = m.Repetitions.Select(r => r.DurationMs ?? 0).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
    }

    private static TargetResult Target(string name, string goal, SystemMeasurement? m, Func<SystemMeasurement, string> measured, Func<SystemMeasurement, bool> met, string? note = null) =>
        m is null ? new TargetResult(name, goal, "not measured", null, note) : new TargetResult(name, goal, measured(m), met(m), note);

    private static double? Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? Math.Round(x / y, 2) : null;

    private static string F(double? value) => value switch
    {
        null => "–",
        >= 100 => value.Value.ToString("#,0", CultureInfo.InvariantCulture),
        _ => value.Value.ToString("0.##", CultureInfo.InvariantCulture),
    };
}
