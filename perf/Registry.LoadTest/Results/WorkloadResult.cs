namespace Registry.LoadTest.Results;

/// <summary>How a workload is read: a sustained rate with latency percentiles, or the time to finish a job.</summary>
public enum WorkloadKind
{
    /// <summary>Throughput and p50/p95/p99.</summary>
    Rate,

    /// <summary>Time to done (median, min, max over the repetitions).</summary>
    Duration,

    /// <summary>Resident memory only.</summary>
    Memory,
}

/// <summary>One row of a workload table: both systems side by side.</summary>
public sealed class WorkloadResult
{
    /// <summary>Stable id (the JSON key a later run is compared on), e.g. <c>head-read-50</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The workload table this row belongs to, e.g. "1. Head read".</summary>
    public required string Group { get; init; }

    /// <summary>The row's label, e.g. "50 connections".</summary>
    public required string Variant { get; init; }

    /// <summary>Rate or duration.</summary>
    public required WorkloadKind Kind { get; init; }

    /// <summary>Unit of the throughput column: "req/s", "commits/s", "events/s".</summary>
    public string ThroughputUnit { get; init; } = "req/s";

    /// <summary>What each side does, in one line (shown under the table).</summary>
    public string? Description { get; init; }

    /// <summary>svc-registry's measurement, or null when it has no equivalent here.</summary>
    public SystemMeasurement? Registry { get; set; }

    /// <summary>etcd's measurement, or null when it has no equivalent here.</summary>
    public SystemMeasurement? Etcd { get; set; }
}
