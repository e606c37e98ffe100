using FASTER.core;
using Registry.Store.Faults;

namespace Registry.Store.Log;

/// <summary>
/// One open FasterLog with its device. A write fault retires the instance and the log opens a new one; a retired
/// instance is disposed once no reader holds it and its device has no write in flight (FASTER's pages must stay
/// allocated until every write issued from them has completed).
/// </summary>
internal sealed class LogInstance
{
    private readonly TimeSpan _quiesceTimeout;
    private int _readers;
    private int _retired;
    private int _disposed;

    public LogInstance(FasterLog log, FaultInjectingDevice device, int incarnation, TimeSpan quiesceTimeout)
    {
        Log = log;
        Device = device;
        Incarnation = incarnation;
        _quiesceTimeout = quiesceTimeout;
    }

    public FasterLog Log { get; }

    public FaultInjectingDevice Device { get; }

    public int Incarnation { get; }

    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <summary>Registers a reader; false when the instance is already retired.</summary>
    public bool TryAcquire()
    {
        Interlocked.Increment(ref _readers);
        if (IsRetired)
        {
            Release();
            return false;
        }

        return true;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _readers) == 0 && IsRetired)
        {
            DisposeWhenQuiet();
        }
    }

    /// <summary>Stops new readers and disposes the instance once the last one leaves.</summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) == 0 && Volatile.Read(ref _readers) == 0)
        {
            DisposeWhenQuiet();
        }
    }

    /// <summary>Waits for the device's writes to finish; false when they did not within the timeout.</summary>
    public bool WaitForQuiet() => Device.WaitForIdle(_quiesceTimeout);

    private void DisposeWhenQuiet()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // A write still in flight reads from FASTER's page buffers; freeing them under it would corrupt memory.
        // If the device never goes quiet the instance is leaked rather than freed unsafely.
        if (WaitForQuiet())
        {
            Log.Dispose();
            Device.Dispose();
        }
    }
}
