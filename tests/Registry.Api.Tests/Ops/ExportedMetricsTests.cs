using System.Text.RegularExpressions;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests.Ops;

/// <summary>
/// Every metric and label value the alert rules and the dashboard select is exported by a live
/// service (SPEC §3: "every metric they use is exported"), a primary or a read replica. Only <c>up</c> comes from
/// Prometheus itself.
/// </summary>
public sealed partial class ExportedMetricsTests
{
    /// <summary>Series Prometheus makes for each scrape target; job and instance are target labels.</summary>
    private static readonly HashSet<string> s_fromPrometheus = ["up"];
    private static readonly HashSet<string> s_targetLabels = ["job", "instance"];

    [Fact]
    public async Task AlertsAndDashboard_SelectOnlyMetricsAndLabelsALiveServiceExports()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await new Driver(service).CommitChangesAsync(Driver.Region("region:ops"));
        var scrape = Parse(await service.Admin.GetStringAsync("/metrics"));

        // The replica alerts select what only a read replica exports: scrape one too.
        await using var replica = await RegistryProcess.StartAsync(args: ["--amnesia", "--follow", $"http://127.0.0.1:{service.ApiPort}"]);
        foreach (var (name, series) in Parse(await replica.Admin.GetStringAsync("/metrics")))
        {
            scrape.TryAdd(name, series);
        }

        var queries = OpsFiles.Alerts().Select(a => ("alert " + a.Alert, a.Expr))
            .Concat(OpsFiles.DashboardQueries().Select(q => ("panel " + q.Panel, q.Expr)))
            .ToList();
        Assert.NotEmpty(queries);
        var problems = new List<string>();
        foreach (var (where, expr) in queries)
        {
            var names = PromQl.MetricNames(expr);
            if (names.Count == 0)
            {
                problems.Add($"{where}: selects no metric: {expr}");
            }

            problems.AddRange(names.Where(n => !s_fromPrometheus.Contains(n) && !scrape.ContainsKey(n)).Select(n => $"{where}: '{n}' is not exported"));
            foreach (var (metric, matchers) in PromQl.Selectors(expr))
            {
                if (s_fromPrometheus.Contains(metric) || !scrape.TryGetValue(metric, out var series))
                {
                    continue;
                }

                foreach (var (label, op, value) in matchers.Where(m => !s_targetLabels.Contains(m.Label)))
                {
                    var ok = op == "="
                        ? series.Any(s => s.TryGetValue(label, out var v) && v == value)
                        : series.Any(s => s.ContainsKey(label));
                    if (!ok)
                    {
                        problems.Add($"{where}: no exported {metric} series has {label}{op}\"{value}\"");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void MetricNames_ReadFromPromQl_SkipFunctionsKeywordsLabelsAndVariables()
    {
        var names = PromQl.MetricNames("""
            histogram_quantile(0.95, sum by (job, le) (rate(a_bucket{route="/x", code=~"5.."}[5m]))) > 0.05
              and on (instance) increase(b_total[$__rate_interval] offset 5m) > 1e3 or up == 0 unless c
            """);
        Assert.Equal(["a_bucket", "b_total", "c", "up"], names.Order());
    }

    /// <summary>metric name -> label sets of its samples (histogram series under their _bucket/_sum/_count names).</summary>
    private static Dictionary<string, List<Dictionary<string, string>>> Parse(string text)
    {
        var metrics = new Dictionary<string, List<Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
        {
            var sample = Sample().Match(line);
            Assert.True(sample.Success, "unreadable sample line: " + line);
            var labels = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            if (!metrics.TryGetValue(sample.Groups["name"].Value, out var series))
            {
                metrics[sample.Groups["name"].Value] = series = [];
            }

            series.Add(labels);
        }

        return metrics;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>.*)\})?\s+\S+$")]
    private static partial Regex Sample();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex Label();
}
