using System.Text;
using System.Text.RegularExpressions;
using Prometheus;
using Registry.Api.Metrics;

namespace Registry.Api.Tests;

/// <summary>The metrics class in process: SPEC §3's names and labels, the known label values at zero, the counters' arithmetic.</summary>
public sealed partial class RegistryMetricsTests
{
    /// <summary>SPEC §3 and the ops files: every family the service defines itself, with its type and label names.</summary>
    private static readonly string[] s_families =
    [
        "approval_verify_seconds histogram", "bus_lagged_total{consumer} counter", "commit_latency_seconds histogram",
        "http_requests_total{route,method,code} counter", "inflight_requests gauge", "registry_checkpoint_age_seconds gauge",
        "registry_checkpoint_failures_total counter", "registry_commits_total{outcome} counter", "registry_head_version gauge",
        "registry_pending_proposals gauge", "registry_ready gauge", "registry_recoveries_total{kind} counter", "registry_sse_clients gauge",
        "registry_storage_append_latency_injected_seconds gauge", "registry_witness_requests_total{outcome} counter",
        "registry_witness_seconds histogram", "registry_write_ready gauge", "rejected_total{reason} counter",
        "request_latency_seconds{route,method} histogram",
    ];

    [Fact]
    public async Task Families_AreSpecNamesTypesAndLabels()
    {
        var metrics = new RegistryMetrics();
        metrics.RequestCompleted("/registry/head", "GET", 200, TimeSpan.FromMilliseconds(2));
        var text = await ScrapeAsync(metrics);
        var types = TypeLine().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var own = types.Where(t => !t.Key.StartsWith("process_", StringComparison.Ordinal) && !t.Key.StartsWith("dotnet_", StringComparison.Ordinal));
        var described = own.Select(t => t.Key + Labels(text, t.Key, t.Value) + " " + t.Value).Order(StringComparer.Ordinal);
        Assert.Equal(s_families, described);
        Assert.Equal("counter", types["dotnet_collection_count_total"]);
        Assert.Equal("counter", types["process_cpu_seconds_total"]);
    }

    [Fact]
    public async Task KnownLabelValues_AreExportedAtZeroBeforeTheirFirstEvent()
    {
        var text = await ScrapeAsync(new RegistryMetrics());
        foreach (var reason in RegistryMetrics.RejectReasons)
        {
            Assert.Contains($"rejected_total{{reason=\"{reason}\"}} 0\n", text, StringComparison.Ordinal);
        }

        foreach (var outcome in RegistryMetrics.CommitOutcomes)
        {
            Assert.Contains($"registry_commits_total{{outcome=\"{outcome}\"}} 0\n", text, StringComparison.Ordinal);
        }

        foreach (var consumer in RegistryMetrics.LagConsumers)
        {
            Assert.Contains($"bus_lagged_total{{consumer=\"{consumer}\"}} 0\n", text, StringComparison.Ordinal);
        }

        foreach (var kind in RegistryMetrics.RecoveryKinds)
        {
            Assert.Contains($"registry_recoveries_total{{kind=\"{kind}\"}} 0\n", text, StringComparison.Ordinal);
        }

        foreach (var outcome in RegistryMetrics.WitnessOutcomes)
        {
            Assert.Contains($"registry_witness_requests_total{{outcome=\"{outcome}\"}} 0\n", text, StringComparison.Ordinal);
        }

        Assert.Contains("commit_latency_seconds_count 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_requests_total{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void RecoveryKinds_NameEveryKindTheStoreReports()
    {
        // StoreRecoveryReport.Kind's values, plus "fresh" for a service without a store to recover.
        var source = File.ReadAllText(Path.Combine(Registry.Testing.TestPaths.RepoRoot, "src", "Registry.Store", "StoreRecoveryReport.cs"));
        var start = source.IndexOf("public string Kind =>", StringComparison.Ordinal);
        var body = source[start..source.IndexOf(';', start)];
        var kinds = QuotedWord().Matches(body).Select(m => m.Groups[1].Value).Append("fresh");
        Assert.Equal(kinds.Order(StringComparer.Ordinal), RegistryMetrics.RecoveryKinds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Events_CountUnderTheirLabels_AndObservedValuesAreReadAtScrape()
    {
        var metrics = new RegistryMetrics();
        long head = 7;
        long failures = 0;
        metrics.Observe(() => head, () => 12.5, () => 3);
        metrics.ObserveCheckpointFailures(() => failures);
        metrics.ObserveReadiness(() => true, () => false, () => 0.05);
        for (var i = 0; i < 3; i++)
        {
            metrics.RequestCompleted("/registry/commit/{id}", "POST", 201, TimeSpan.FromMilliseconds(3));
        }

        metrics.RequestCompleted("/registry/commit/{id}", "POST", 409, TimeSpan.FromSeconds(20));
        metrics.Rejected("busy");
        metrics.Rejected("busy");
        metrics.CommitDurable(TimeSpan.FromMilliseconds(4));
        metrics.CommitOutcome("idempotent");
        metrics.Recovery("torn_tail");
        metrics.BusLagged("uds");
        metrics.Inflight(2);
        metrics.Inflight(-1);
        metrics.SetPending(5);
        metrics.Rejected("bored");

        var first = await ScrapeAsync(metrics);
        Assert.Contains("http_requests_total{route=\"/registry/commit/{id}\",method=\"POST\",code=\"201\"} 3\n", first, StringComparison.Ordinal);
        Assert.Contains("http_requests_total{route=\"/registry/commit/{id}\",method=\"POST\",code=\"409\"} 1\n", first, StringComparison.Ordinal);
        Assert.Contains("request_latency_seconds_bucket{route=\"/registry/commit/{id}\",method=\"POST\",le=\"0.0025\"} 0\n", first, StringComparison.Ordinal);
        Assert.Contains("request_latency_seconds_bucket{route=\"/registry/commit/{id}\",method=\"POST\",le=\"0.005\"} 3\n", first, StringComparison.Ordinal);
        Assert.Contains("request_latency_seconds_bucket{route=\"/registry/commit/{id}\",method=\"POST\",le=\"10\"} 3\n", first, StringComparison.Ordinal);
        Assert.Contains("request_latency_seconds_bucket{route=\"/registry/commit/{id}\",method=\"POST\",le=\"+Inf\"} 4\n", first, StringComparison.Ordinal);
        Assert.Contains("rejected_total{reason=\"busy\"} 2\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_commits_total{outcome=\"committed\"} 1\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_commits_total{outcome=\"idempotent\"} 1\n", first, StringComparison.Ordinal);
        Assert.Contains("commit_latency_seconds_count 1\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_recoveries_total{kind=\"torn_tail\"} 1\n", first, StringComparison.Ordinal);
        Assert.Contains("bus_lagged_total{consumer=\"uds\"} 1\n", first, StringComparison.Ordinal);
        Assert.Contains("inflight_requests 1\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_pending_proposals 5\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_head_version 7\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_checkpoint_age_seconds 12.5\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_sse_clients 3\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_checkpoint_failures_total 0\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_ready 1\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_write_ready 0\n", first, StringComparison.Ordinal);
        Assert.Contains("registry_storage_append_latency_injected_seconds 0.05\n", first, StringComparison.Ordinal);
        Assert.Contains("rejected_total{reason=\"bored\"} 1\n", first, StringComparison.Ordinal);

        head = 8;
        failures = 2;
        var second = await ScrapeAsync(metrics);
        Assert.Contains("registry_head_version 8\n", second, StringComparison.Ordinal);
        Assert.Contains("registry_checkpoint_failures_total 2\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreparedRoutes_ExportTheirLatencyAtZero_AndCountLikeAnyOther()
    {
        var metrics = new RegistryMetrics();
        metrics.PrepareRoutes([("/registry/head", "GET"), ("/registry/proposals", "POST")]);
        var before = await ScrapeAsync(metrics);
        Assert.Contains("request_latency_seconds_count{route=\"/registry/head\",method=\"GET\"} 0\n", before, StringComparison.Ordinal);
        Assert.Contains("request_latency_seconds_count{route=\"/registry/proposals\",method=\"POST\"} 0\n", before, StringComparison.Ordinal);
        Assert.DoesNotContain("http_requests_total{", before, StringComparison.Ordinal);

        metrics.RequestCompleted("/registry/head", "GET", 200, TimeSpan.FromMilliseconds(1));
        var after = await ScrapeAsync(metrics);
        Assert.Contains("request_latency_seconds_count{route=\"/registry/head\",method=\"GET\"} 1\n", after, StringComparison.Ordinal);
        Assert.Contains("http_requests_total{route=\"/registry/head\",method=\"GET\",code=\"200\"} 1\n", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoInstances_DoNotShareSeries()
    {
        var one = new RegistryMetrics();
        var other = new RegistryMetrics();
        one.Rejected("auth");
        Assert.Contains("rejected_total{reason=\"auth\"} 1\n", await ScrapeAsync(one), StringComparison.Ordinal);
        Assert.Contains("rejected_total{reason=\"auth\"} 0\n", await ScrapeAsync(other), StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(RegistryMetrics metrics)
    {
        using var buffer = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>"{a,b}" for the label names (other than le) of the family's first sample, or "".</summary>
    private static string Labels(string text, string family, string type)
    {
        var sample = text.Split('\n').FirstOrDefault(l => l.StartsWith(family + (type == "histogram" ? "_bucket" : string.Empty), StringComparison.Ordinal) && l[0] != '#');
        var names = sample is null ? [] : LabelName().Matches(sample).Select(m => m.Groups[1].Value).Where(n => n != "le").ToList();
        return names.Count == 0 ? string.Empty : "{" + string.Join(',', names) + "}";
    }

    [GeneratedRegex(@"^# TYPE (\S+) (\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"([a-z_]+)=""")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"""([a-z_]+)""")]
    private static partial Regex QuotedWord();
}
