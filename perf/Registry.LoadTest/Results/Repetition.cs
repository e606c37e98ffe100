namespace Registry.LoadTest.Results;

/// <summary>
/// One measured repetition of one workload on one system. Rate workloads fill the throughput and latency
/// percentiles; time-to-done workloads (resume, cold start, restore) fill <see cref="DurationMs"/>.
/// </summary>
public sealed record Repetition
{
    /// <summary>Operations (or events) per second.</summary>
    public double? Throughput { get; init; }

    /// <summary>Latency percentiles in milliseconds.</summary>
    public double? P50Ms { get; init; }

    /// <summary>95th percentile, ms.</summary>
    public double? P95Ms { get; init; }

    /// <summary>99th percentile, ms.</summary>
    public double? P99Ms { get; init; }

    /// <summary>Slowest, ms.</summary>
    public double? MaxMs { get; init; }

    /// <summary>Wall time of a time-to-done workload, ms.</summary>
    public double? DurationMs { get; init; }

    /// <summary>Successful operations (or events received).</summary>
    public long Count { get; init; }

    /// <summary>Failed operations (non-2xx that is not an expected CAS conflict, transport errors, lost events).</summary>
    public long Errors { get; init; }

    /// <summary>Workload-specific counters: conflicts, retries, lost events, offered rate...</summary>
    public Dictionary<string, double> Extra { get; init; } = [];
}
