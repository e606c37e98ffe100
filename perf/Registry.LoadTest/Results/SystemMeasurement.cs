using System.Text.Json.Serialization;

namespace Registry.LoadTest.Results;

/// <summary>
/// One system's result for one workload: its repetitions, and what its server process used over all of them
/// (CPU cores = CPU seconds / wall seconds; RSS at the end and the peak during the workload).
/// </summary>
public sealed class SystemMeasurement
{
    /// <summary>"svc-registry" or "etcd".</summary>
    public required string System { get; init; }

    /// <summary>The measured repetitions (warm-up excluded).</summary>
    public List<Repetition> Repetitions { get; init; } = [];

    /// <summary>Average CPU cores the server used while the repetitions ran.</summary>
    public double? CpuCores { get; set; }

    /// <summary>
    /// Average CPU cores the load generator used meanwhile (this harness and the wrk runs it waited for): near
    /// the load CPUs' count, the number may be bounded by the client rather than the server.
    /// </summary>
    public double? LoadCpuCores { get; set; }

    /// <summary>Average CPU cores the other system's server used meanwhile (idle, but it may work in the background).</summary>
    public double? PeerCpuCores { get; set; }

    /// <summary>
    /// Average CPU cores every other process on the machine used meanwhile (other users' builds and tests): all
    /// CPUs' busy time from /proc/stat minus the server's, the load generator's and the idle peer server's.
    /// Well above zero means the run was disturbed.
    /// </summary>
    public double? OtherCpuCores { get; set; }

    /// <summary>Resident memory at the end, MiB.</summary>
    [JsonPropertyName("rss_mib")]
    public double? RssMiB { get; set; }

    /// <summary>Peak resident memory during the workload, MiB (VmHWM after a clear_refs reset).</summary>
    [JsonPropertyName("peak_rss_mib")]
    public double? PeakRssMiB { get; set; }

    /// <summary>A remark shown under the table (why a number is what it is).</summary>
    public string? Note { get; set; }

    /// <summary>Median throughput over the repetitions.</summary>
    public double? Throughput => Median(r => r.Throughput);

    /// <summary>Median p50.</summary>
    public double? P50Ms => Median(r => r.P50Ms);

    /// <summary>Median p95.</summary>
    public double? P95Ms => Median(r => r.P95Ms);

    /// <summary>Median p99.</summary>
    public double? P99Ms => Median(r => r.P99Ms);

    /// <summary>Median duration.</summary>
    public double? DurationMs => Median(r => r.DurationMs);

    /// <summary>Fastest repetition's duration.</summary>
    public double? MinDurationMs => Repetitions.Select(r => r.DurationMs).Where(d => d.HasValue).Min();

    /// <summary>Slowest repetition's duration.</summary>
    public double? MaxDurationMs => Repetitions.Select(r => r.DurationMs).Where(d => d.HasValue).Max();

    /// <summary>Errors over every repetition.</summary>
    public long Errors => Repetitions.Sum(r => r.Errors);

    /// <summary>Sum of an extra counter over the repetitions.</summary>
    public double ExtraSum(string name) => Repetitions.Sum(r => r.Extra.GetValueOrDefault(name));

    /// <summary>Median of an extra counter over the repetitions.</summary>
    public double? ExtraMedian(string name) => Median(r => r.Extra.TryGetValue(name, out var v) ? v : null);

    private double? Median(Func<Repetition, double?> pick)
    {
        var values = Repetitions.Select(pick).Where(v => v.HasValue && double.IsFinite(v.Value)).Select(v => v!.Value).Order().ToArray();
        return values.Length == 0 ? null : values.Length % 2 == 1 ? values[values.Length / 2] : (values[(values.Length / 2) - 1] + values[values.Length / 2]) / 2;
    }
}
