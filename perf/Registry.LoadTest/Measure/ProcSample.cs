using System.Globalization;

namespace Registry.LoadTest.Measure;

/// <summary>
/// One reading of a process from /proc: CPU time used so far (utime + stime of /proc/PID/stat; with
/// <see cref="ChildrenCpuSeconds"/> the cutime + cstime of children it has waited for, such as wrk) and resident
/// memory (VmRSS, and the peak VmHWM of /proc/PID/status).
/// </summary>
public readonly record struct ProcSample(double CpuSeconds, double ChildrenCpuSeconds, double RssMiB, double PeakRssMiB, long AtTimestamp)
{
    // USER_HZ: the unit of utime/stime. 100 on every Linux ABI this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    /// <summary>Reads the process now; null when it has gone.</summary>
    public static ProcSample? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the command name "(...)", which may itself hold spaces: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var children = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            double rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = KiB(line) / 1024.0;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    hwm = KiB(line) / 1024.0;
                }
            }

            return new ProcSample(ticks / TicksPerSecond, children / TicksPerSecond, rss, hwm, System.Diagnostics.Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Resets the peak (VmHWM) to the current RSS, so the next reading's peak covers one workload only.</summary>
    /// <returns>False when the kernel refused (then the peak covers the process's whole life).</returns>
    public static bool ResetPeak(int pid)
    {
        try
        {
            // "5" resets the peak resident set size (Documentation/filesystems/proc.rst, clear_refs).
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>CPU cores used on average between <paramref name="start"/> and this reading.</summary>
    public double CoresSince(ProcSample start, bool withChildren = false)
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(start.AtTimestamp, AtTimestamp).TotalSeconds;
        var used = CpuSeconds - start.CpuSeconds + (withChildren ? ChildrenCpuSeconds - start.ChildrenCpuSeconds : 0);
        return seconds <= 0 ? 0 : used / seconds;
    }

    private static long KiB(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
