using System.Diagnostics;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Releases write k at start + k / rate (open loop); a writer that is late is released at once, so writes that
/// fell due while it slept go out back to back and the average rate holds. It sleeps rather than spins: on the one
/// load CPU a spinning pacer would take the cycles the subscribers need to read their streams. Latency is measured
/// from each write's actual send time, so a late release does not flatter it.
/// </summary>
public sealed class Pacer(int rate)
{
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <summary>Waits for slot <paramref name="k"/>.</summary>
    public async ValueTask WaitAsync(long k, CancellationToken cancellationToken)
    {
        var due = _start + (long)(k * (double)Stopwatch.Frequency / rate);
        var left = due - Stopwatch.GetTimestamp();
        if (left > 0)
        {
            // Timer resolution is about 1 ms; never ask for less.
            await Task.Delay(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond * left / Stopwatch.Frequency)), cancellationToken);
        }
    }

    /// <summary>Seconds since the pacer started.</summary>
    public double Elapsed => Stopwatch.GetElapsedTime(_start).TotalSeconds;
}
