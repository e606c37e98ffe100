namespace Registry.LoadTest.Results;

/// <summary>Everything one harness run measured, as written to perf/results/&lt;date&gt;.json and .md.</summary>
public sealed class RunReport
{
    /// <summary>UTC date of the run (yyyy-MM-dd).</summary>
    public required string Date { get; init; }

    /// <summary>UTC start time (ISO 8601).</summary>
    public required string StartedAt { get; init; }

    /// <summary>"full" or "smoke".</summary>
    public required string Mode { get; init; }

    /// <summary>The machine, the versions and the fairness settings actually used.</summary>
    public Dictionary<string, string> Environment { get; init; } = [];

    /// <summary>Free-text remarks (load on the machine, what was skipped and why).</summary>
    public List<string> Notes { get; init; } = [];

    /// <summary>The workload rows, in table order.</summary>
    public List<WorkloadResult> Workloads { get; init; } = [];

    /// <summary>The service targets.</summary>
    public List<TargetResult> Targets { get; init; } = [];

    /// <summary>Wall time of the whole run, seconds.</summary>
    public double ElapsedSeconds { get; set; }
}
