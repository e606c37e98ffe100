using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;
using Registry.LoadTest.Systems;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Resident memory with the large data set loaded: RSS right after the server was ready, and the peak while it
/// served the resume replays and old-version reads (the larger of the per-workload peaks).
/// </summary>
public sealed class MemoryRow
{
    private readonly SystemMeasurement? _registry;
    private readonly SystemMeasurement _etcd;

    /// <summary>Reads both servers' RSS now (just after start / load).</summary>
    public MemoryRow(IServer? registry, IServer etcd)
    {
        ArgumentNullException.ThrowIfNull(etcd);
        _registry = registry is null ? null : Start(registry);
        _etcd = Start(etcd);
    }

    /// <summary>Takes the peaks of a workload's measurements.</summary>
    public void Observe(WorkloadResult row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Raise(_registry, row.Registry);
        Raise(_etcd, row.Etcd);
    }

    /// <summary>The report row.</summary>
    public WorkloadResult Row(LargeDataSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new WorkloadResult
        {
            Id = "memory-large",
            Group = "8. Resident memory",
            Variant = $"{data.Descriptors:#,0} descriptors, {data.Commits:#,0} versions",
            Kind = WorkloadKind.Memory,
            Description = "VmRSS of the server process right after it was ready on the large data set, and its peak (VmHWM) while it served the resume replays and old-version reads.",
            Registry = _registry,
            Etcd = _etcd,
        };
    }

    private static SystemMeasurement Start(IServer server)
    {
        var sample = ProcSample.Read(server.Pid);
        return new SystemMeasurement { System = server.Name, RssMiB = sample?.RssMiB is { } r ? Math.Round(r, 1) : null, PeakRssMiB = sample?.PeakRssMiB is { } p ? Math.Round(p, 1) : null };
    }

    private static void Raise(SystemMeasurement? into, SystemMeasurement? from)
    {
        if (into is not null && from?.PeakRssMiB is { } peak && (into.PeakRssMiB is null || peak > into.PeakRssMiB))
        {
            into.PeakRssMiB = peak;
        }
    }
}
