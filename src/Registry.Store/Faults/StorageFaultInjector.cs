namespace Registry.Store.Faults;

/// <summary>
/// Switches simulated storage faults on and off at run time: failing writes (I/O error or full disk) and slow
/// writes. The log device and the commit-record file consult it before every write.
/// </summary>
/// <remarks>
/// <para>
/// Used by the fault tests, and by the service for <c>ronctl chaos inject --fault=storage-latency --ms=N</c>.
/// A store opened without an injector gets a private one that never injects anything.
/// </para>
/// <para>Thread-safe: settings are read with volatile semantics on every write, so a change applies to the next write.</para>
/// </remarks>
public sealed class StorageFaultInjector
{
    private long _latencyTicks;
    private int _failure;
    private long _failedWrites;
    private long _delayedWrites;

    /// <summary>The delay added before every write (zero when none).</summary>
    public TimeSpan WriteLatency => TimeSpan.FromTicks(Volatile.Read(ref _latencyTicks));

    /// <summary>The failure every write currently reports, or null when writes succeed.</summary>
    public StorageWriteFailure? WriteFailure =>
        Volatile.Read(ref _failure) is var f and not 0 ? (StorageWriteFailure)f : null;

    /// <summary>How many writes were failed on purpose so far.</summary>
    public long FailedWrites => Interlocked.Read(ref _failedWrites);

    /// <summary>How many writes were delayed on purpose so far.</summary>
    public long DelayedWrites => Interlocked.Read(ref _delayedWrites);

    /// <summary>Makes every write fail with <paramref name="failure"/> until <see cref="Clear"/>.</summary>
    public void FailWrites(StorageWriteFailure failure)
    {
        if (failure is not (StorageWriteFailure.IoError or StorageWriteFailure.DiskFull))
        {
            throw new ArgumentOutOfRangeException(nameof(failure), failure, "Only I/O errors and a full disk can be injected.");
        }

        Volatile.Write(ref _failure, (int)failure);
    }

    /// <summary>Delays every write by <paramref name="latency"/> (zero turns the delay off).</summary>
    public void DelayWrites(TimeSpan latency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latency, TimeSpan.Zero);
        Volatile.Write(ref _latencyTicks, latency.Ticks);
    }

    /// <summary>Removes every injected fault: writes succeed at full speed again.</summary>
    public void Clear()
    {
        Volatile.Write(ref _failure, 0);
        Volatile.Write(ref _latencyTicks, 0);
    }

    /// <summary>The POSIX errno a failed write reports to FASTER: ENOSPC (28) or EIO (5).</summary>
    internal static uint ErrorCodeFor(StorageWriteFailure failure) => failure == StorageWriteFailure.DiskFull ? 28u : 5u;

    /// <summary>Maps a device error code back to the failure class.</summary>
    internal static StorageWriteFailure FailureFor(uint errorCode) =>
        errorCode == 28u ? StorageWriteFailure.DiskFull : StorageWriteFailure.IoError;

    internal void CountFailure() => Interlocked.Increment(ref _failedWrites);

    internal void CountDelay() => Interlocked.Increment(ref _delayedWrites);

    /// <summary>
    /// Waits at least <paramref name="latency"/> by the monotonic clock: a timer can fire a little early against it
    /// (its ticks are coarser), and an injected latency promises a lower bound.
    /// </summary>
    internal static async Task DelayAtLeastAsync(TimeSpan latency, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var left = latency; left > TimeSpan.Zero; left = latency - System.Diagnostics.Stopwatch.GetElapsedTime(started))
        {
            await Task.Delay(left < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : left, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// For synchronous writers (the commit-record file): waits out the injected latency, then throws the injected
    /// failure as the <see cref="IOException"/> a real device would raise.
    /// </summary>
    internal void BeforeSynchronousWrite()
    {
        var latency = WriteLatency;
        if (latency > TimeSpan.Zero)
        {
            CountDelay();
            Thread.Sleep(latency); // simulates a slow device on the calling I/O thread, as a real one would block it
        }

        if (WriteFailure is { } failure)
        {
            CountFailure();
            throw new IOException(
                failure == StorageWriteFailure.DiskFull ? "No space left on device (injected)" : "Input/output error (injected)",
                (int)ErrorCodeFor(failure));
        }
    }
}
