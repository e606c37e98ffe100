using Registry.LoadTest.Results;
using Registry.LoadTest.Systems;

namespace Registry.LoadTest.Measure;

/// <summary>
/// The measuring discipline every workload shares: one unmeasured warm-up, then N measured repetitions, with
/// the server's CPU time and memory read from /proc around the measured part only (peak reset first).
/// </summary>
public static class Bench
{
    /// <summary>Warm-up, then <paramref name="repetitions"/> runs of <paramref name="run"/>; null warm-up skips it.</summary>
    public static async Task<SystemMeasurement> MeasureAsync(IServer server, int repetitions, Func<int, Task<Repetition>> run, Func<Task>? warmUp, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(run);
        if (warmUp is not null)
        {
            await warmUp();
        }

        var measurement = new SystemMeasurement { System = server.Name, Note = note };
        ProcSample.ResetPeak(server.Pid);
        var before = ProcSample.Read(server.Pid);
        var self = ProcSample.Read(Environment.ProcessId);
        var peers = ManagedProcess.LivePids().Where(pid => pid != server.Pid).Select(pid => (Pid: pid, Sample: ProcSample.Read(pid))).ToList();
        var machine = MachineLoad.Snapshot();
        for (var i = 0; i < repetitions; i++)
        {
            measurement.Repetitions.Add(await run(i));
        }

        var after = ProcSample.Read(server.Pid);
        var busyCores = MachineLoad.BusySince(machine) * Environment.ProcessorCount;
        if (self is { } s0 && ProcSample.Read(Environment.ProcessId) is { } s1)
        {
            // The harness and the wrk runs it waited for.
            measurement.LoadCpuCores = Math.Round(s1.CoresSince(s0, withChildren: true), 3);
        }

        if (before is { } b && after is { } a)
        {
            measurement.CpuCores = Math.Round(a.CoresSince(b), 3);
            measurement.RssMiB = Math.Round(a.RssMiB, 1);
            measurement.PeakRssMiB = Math.Round(a.PeakRssMiB, 1);
        }

        // The other system's server is idle meanwhile, but may do background work (compaction, checkpoints).
        measurement.PeerCpuCores = Math.Round(peers.Sum(p => p.Sample is { } p0 && ProcSample.Read(p.Pid) is { } p1 ? p1.CoresSince(p0) : 0), 3);
        measurement.OtherCpuCores = Math.Round(Math.Max(0, busyCores - (measurement.CpuCores ?? 0) - (measurement.LoadCpuCores ?? 0) - measurement.PeerCpuCores.Value), 2);

        Console.WriteLine($"  {server.Name,-12} {Describe(measurement)}");
        return measurement;
    }

    /// <summary>A one-line summary for the console.</summary>
    public static string Describe(SystemMeasurement m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var parts = new List<string>();
        if (m.Throughput is { } t)
        {
            parts.Add($"{t:0.#}/s");
        }

        if (m.P50Ms is { } p50)
        {
            parts.Add($"p50 {p50:0.###} ms p99 {m.P99Ms:0.###} ms");
        }

        if (m.DurationMs is { } d)
        {
            parts.Add($"{d:0.#} ms");
        }

        parts.Add($"cpu {m.CpuCores:0.##} (load {m.LoadCpuCores:0.##}, idle peer {m.PeerCpuCores:0.##}, others {m.OtherCpuCores:0.##}) rss {m.RssMiB:0} MiB errors {m.Errors}");
        return string.Join("  ", parts);
    }
}
