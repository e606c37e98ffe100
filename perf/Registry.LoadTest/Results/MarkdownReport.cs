using System.Globalization;
using System.Text;

namespace Registry.LoadTest.Results;

/// <summary>Renders a run as the markdown tables perf/README.md explains.</summary>
public static class MarkdownReport
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>The whole report.</summary>
    public static string Render(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append(s_inv, $"# svc-registry vs etcd: {report.Date} ({report.Mode})\n\n");
        md.Append("Produced by `perf/run.sh`; how to read it: [perf/README.md](../README.md). ");
        md.Append("Every number is the median of the measured repetitions (warm-up excluded); the JSON beside this file has every repetition.\n\n");
        md.Append("| setting | value |\n| --- | --- |\n");
        foreach (var (key, value) in report.Environment)
        {
            md.Append(s_inv, $"| {key} | {value} |\n");
        }

        md.Append(s_inv, $"| harness wall time | {report.ElapsedSeconds:0} s |\n\n");
        if (report.Notes.Count > 0)
        {
            md.Append("**Notes**\n\n");
            foreach (var note in report.Notes)
            {
                md.Append(s_inv, $"- {note}\n");
            }

            md.Append('\n');
        }

        md.Append("## Service targets\n\n| what | target | measured | met? |\n| --- | --- | --- | --- |\n");
        foreach (var t in report.Targets)
        {
            md.Append(s_inv, $"| {t.Name} | {t.Target} | {t.Measured} | {(t.Met is null ? "not measured" : t.Met.Value ? "yes" : "**no**")} |\n");
        }

        md.Append('\n');
        foreach (var notes in report.Targets.Where(t => t.Note is not null).Select(t => $"- {t.Name}: {t.Note}"))
        {
            md.Append(notes).Append('\n');
        }

        foreach (var group in report.Workloads.GroupBy(w => w.Group).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            md.Append(s_inv, $"\n## {group.Key}\n\n");
            var rows = group.ToList();
            switch (rows[0].Kind)
            {
                case WorkloadKind.Rate:
                    RateTable(md, rows);
                    break;
                case WorkloadKind.Duration:
                    DurationTable(md, rows);
                    break;
                default:
                    MemoryTable(md, rows);
                    break;
            }

            md.Append('\n');
            foreach (var row in rows)
            {
                md.Append(s_inv, $"- *{row.Variant}*: {row.Description}");
                foreach (var m in new[] { row.Registry, row.Etcd }.OfType<SystemMeasurement>())
                {
                    var extra = Extras(m);
                    if (extra.Length > 0 || m.Note is not null)
                    {
                        md.Append(s_inv, $" **{m.System}**: {m.Note}{(m.Note is not null && extra.Length > 0 ? " " : string.Empty)}{extra}");
                    }
                }

                md.Append('\n');
            }
        }

        return md.ToString();
    }

    private static void RateTable(StringBuilder md, List<WorkloadResult> rows)
    {
        md.Append("| variant | system | throughput | p50 ms | p95 ms | p99 ms | server CPU | load CPU | other CPU | RSS MiB (peak) | errors |\n");
        md.Append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var row in rows)
        {
            foreach (var m in new[] { row.Registry, row.Etcd }.OfType<SystemMeasurement>())
            {
                md.Append(s_inv, $"| {row.Variant} | {m.System} | {Num(m.Throughput)} {row.ThroughputUnit} | {Ms(m.P50Ms)} | {Ms(m.P95Ms)} | {Ms(m.P99Ms)} | {m.CpuCores:0.00} | {m.LoadCpuCores:0.00} | {m.OtherCpuCores:0.00} | {Num(m.RssMiB)} ({Num(m.PeakRssMiB)}) | {m.Errors} |\n");
            }

            if (row.Registry is { } r && row.Etcd is { } e)
            {
                md.Append(s_inv, $"| {row.Variant} | **registry / etcd** | **{Ratio(r.Throughput, e.Throughput)}** | {Ratio(r.P50Ms, e.P50Ms)} | {Ratio(r.P95Ms, e.P95Ms)} | {Ratio(r.P99Ms, e.P99Ms)} | {Ratio(r.CpuCores, e.CpuCores)} | | | {Ratio(r.RssMiB, e.RssMiB)} | |\n");
            }
        }
    }

    private static void DurationTable(StringBuilder md, List<WorkloadResult> rows)
    {
        md.Append("| variant | system | median ms | min ms | max ms | rate | server CPU | load CPU | other CPU | RSS MiB (peak) | errors |\n");
        md.Append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        foreach (var row in rows)
        {
            foreach (var m in new[] { row.Registry, row.Etcd }.OfType<SystemMeasurement>())
            {
                var rate = m.Throughput is null ? string.Empty : $"{Num(m.Throughput)} {row.ThroughputUnit}";
                md.Append(s_inv, $"| {row.Variant} | {m.System} | {Ms(m.DurationMs)} | {Ms(m.MinDurationMs)} | {Ms(m.MaxDurationMs)} | {rate} | {m.CpuCores:0.00} | {m.LoadCpuCores:0.00} | {m.OtherCpuCores:0.00} | {Num(m.RssMiB)} ({Num(m.PeakRssMiB)}) | {m.Errors} |\n");
            }

            if (row.Registry is { } r && row.Etcd is { } e)
            {
                md.Append(s_inv, $"| {row.Variant} | **registry / etcd** | **{Ratio(r.DurationMs, e.DurationMs)}** | {Ratio(r.MinDurationMs, e.MinDurationMs)} | {Ratio(r.MaxDurationMs, e.MaxDurationMs)} | {Ratio(r.Throughput, e.Throughput)} | {Ratio(r.CpuCores, e.CpuCores)} | | | {Ratio(r.RssMiB, e.RssMiB)} | |\n");
            }
        }
    }

    private static void MemoryTable(StringBuilder md, List<WorkloadResult> rows)
    {
        md.Append("| variant | system | RSS MiB after ready | peak RSS MiB |\n| --- | --- | ---: | ---: |\n");
        foreach (var row in rows)
        {
            foreach (var m in new[] { row.Registry, row.Etcd }.OfType<SystemMeasurement>())
            {
                md.Append(s_inv, $"| {row.Variant} | {m.System} | {Num(m.RssMiB)} | {Num(m.PeakRssMiB)} |\n");
            }

            if (row.Registry is { } r && row.Etcd is { } e)
            {
                md.Append(s_inv, $"| {row.Variant} | **registry / etcd** | **{Ratio(r.RssMiB, e.RssMiB)}** | {Ratio(r.PeakRssMiB, e.PeakRssMiB)} |\n");
            }
        }
    }

    // The workload counters worth a reader's eye (medians over the repetitions).
    private static string Extras(SystemMeasurement m)
    {
        var parts = new List<string>();
        if (m.ExtraMedian("attempts") is { } attempts && m.ExtraMedian("conflicts") is { } conflicts)
        {
            parts.Add($"per repetition {conflicts:0} conflicts in {attempts:0} attempts ({100 * conflicts / Math.Max(1, attempts):0.#}%), {m.ExtraMedian("commit_requests_per_s"):0.#} commit requests/s answered");
        }

        if (m.ExtraMedian("expired") is > 0 and var expired)
        {
            parts.Add($"{expired:0} proposals expired");
        }

        if (m.ExtraMedian("lost") is { } lost)
        {
            parts.Add($"{m.ExtraSum("lost"):0} events lost, {m.ExtraSum("lagged"):0} lagged, {m.ExtraMedian("writes"):0} writes per repetition");
        }

        if (m.ExtraMedian("ack_p99_ms") is > 0 and var ackP99)
        {
            parts.Add($"the writes themselves (sent → answered) took p50 {m.ExtraMedian("ack_p50_ms"):0.##} ms, p99 {ackP99:0.##} ms");
        }

        var causes = m.Repetitions.SelectMany(r => r.Extra).Where(kv => kv.Key.StartsWith("error_", StringComparison.Ordinal))
            .GroupBy(kv => kv.Key["error_".Length..]).Select(g => $"{g.Sum(kv => kv.Value):0}× {g.Key}").ToList();
        if (causes.Count > 0)
        {
            parts.Add("errors: " + string.Join(", ", causes));
        }

        if (m.PeerCpuCores is >= 0.1 and var peer)
        {
            parts.Add($"the idle other server used {peer:0.00} cores meanwhile");
        }

        if (m.ExtraMedian("bytes_per_response") is { } bytes)
        {
            parts.Add($"{bytes:0} bytes per response");
        }

        if (m.ExtraMedian("response_bytes") is { } rb)
        {
            parts.Add($"{rb:0} bytes");
        }

        if (m.ExtraMedian("events") is { } events)
        {
            parts.Add($"{events:0} events");
        }

        return parts.Count == 0 ? string.Empty : string.Join("; ", parts) + ".";
    }

    private static string Num(double? value) => value switch
    {
        null => "–",
        >= 100 => value.Value.ToString("#,0", s_inv),
        _ => value.Value.ToString("0.0", s_inv),
    };

    private static string Ms(double? value) => value switch
    {
        null => "–",
        >= 100 => value.Value.ToString("#,0", s_inv),
        >= 10 => value.Value.ToString("0.0", s_inv),
        _ => value.Value.ToString("0.00", s_inv),
    };

    private static string Ratio(double? registry, double? etcd) =>
        registry is { } r && etcd is { } e && e > 0 ? (r / e).ToString(r / e >= 0.095 ? "0.00" : "0.0###", s_inv) + "×" : "–";
}
