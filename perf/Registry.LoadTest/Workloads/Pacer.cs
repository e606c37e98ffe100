using System.Diagnostics;

namespace Registry.LoadTest.Workloads;

/// <summary>Releases write k at start + k / rate (open loop); a writer that is late is released at once.</summary>
public sealed class Pacer(int rate)
{
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <summary>Waits for slot <paramref name="k"/>.</summary>
    public async ValueTask WaitAsync(long k, CancellationToken cancellationToken)
    {
        var due = _start + (long)(k * (double)Stopwatch.Frequency / rate);
        while (true)
        {
            var left = due - Stopwatch.GetTimestamp();
            if (left <= 0)
            {
                return;
            }

            if (left > Stopwatch.Frequency / 500)
            {
                // More than 2 ms to go: sleep most of it (timer resolution is about 1 ms).
                await Task.Delay(TimeSpan.FromTicks(TimeSpan.TicksPerSecond * (left - (Stopwatch.Frequency / 1000)) / Stopwatch.Frequency), cancellationToken);
            }
            else
            {
                Thread.Yield();
            }
        }
    }

    /// <summary>Seconds since the pacer started.</summary>
    public double Elapsed => Stopwatch.GetElapsedTime(_start).TotalSeconds;
}
