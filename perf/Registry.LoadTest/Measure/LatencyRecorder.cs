using System.Diagnostics;

namespace Registry.LoadTest.Measure;

/// <summary>
/// Collects latencies (as Stopwatch ticks) from many tasks; percentiles by nearest rank over every sample,
/// so p99 is a real observed latency, not an interpolation. Thread-safe.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Lock _lock = new();
    private readonly List<long> _ticks = [];

    /// <summary>How many latencies were recorded.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _ticks.Count;
            }
        }
    }

    /// <summary>Records the time since <paramref name="startTimestamp"/>.</summary>
    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>Records one latency in Stopwatch ticks.</summary>
    public void Record(long ticks)
    {
        lock (_lock)
        {
            _ticks.Add(ticks);
        }
    }

    /// <summary>Adds every sample of a per-task list at once (cheaper than locking per sample).</summary>
    public void RecordAll(List<long> ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        lock (_lock)
        {
            _ticks.AddRange(ticks);
        }
    }

    /// <summary>p50, p95, p99 and max in milliseconds (NaN when empty).</summary>
    public (double P50, double P95, double P99, double Max) Percentiles()
    {
        long[] sorted;
        lock (_lock)
        {
            sorted = [.. _ticks];
        }

        if (sorted.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(sorted);
        return (Ms(Rank(sorted, 0.50)), Ms(Rank(sorted, 0.95)), Ms(Rank(sorted, 0.99)), Ms(sorted[^1]));
    }

    /// <summary>Stopwatch ticks to milliseconds.</summary>
    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static long Rank(long[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
