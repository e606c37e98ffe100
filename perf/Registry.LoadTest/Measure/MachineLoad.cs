using System.Globalization;

namespace Registry.LoadTest.Measure;

/// <summary>How busy the whole machine is (other engineers build on it): load average and CPU busy share.</summary>
public static class MachineLoad
{
    /// <summary>The 1-minute load average.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Share of all CPUs busy over <paramref name="window"/> (from /proc/stat), 0-1.</summary>
    public static async Task<double> BusyShareAsync(TimeSpan window)
    {
        var (busy0, total0) = Read();
        await Task.Delay(window);
        var (busy1, total1) = Read();
        return total1 == total0 ? 0 : (double)(busy1 - busy0) / (total1 - total0);
    }

    /// <summary>A reading of all CPUs' busy and total jiffies, for <see cref="BusySince"/>.</summary>
    public static (long Busy, long Total) Snapshot() => Read();

    /// <summary>Share of all CPUs busy since <paramref name="start"/>, 0-1.</summary>
    public static double BusySince((long Busy, long Total) start)
    {
        var (busy, total) = Read();
        return total == start.Total ? 0 : (double)(busy - start.Busy) / (total - start.Total);
    }

    private static (long Busy, long Total) Read()
    {
        // cpu  user nice system idle iowait irq softirq steal ...
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // Busy = user + nice + system + steal. irq and softirq are left out: on loopback they are mostly the
        // measured traffic itself, which no process is charged for.
        var total = fields.Sum();
        var notCounted = fields[3] + fields[4] + fields[5] + fields[6];
        return (total - notCounted, total);
    }
}
