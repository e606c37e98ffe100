using System.Runtime.InteropServices;

namespace Registry.Store.IO;

/// <summary>
/// Runs a long CPU- and disk-heavy job (a checkpoint) on its own thread at the lowest scheduling priority (Linux
/// <c>SCHED_IDLE</c>, and nice 10 where that policy is refused), so on a small machine the writer and the log's I/O
/// threads win the CPU whenever they need it.
/// </summary>
/// <remarks>
/// Linux schedules threads individually and lets any thread lower its own priority (<c>setpriority(2)</c> on its thread
/// id); elsewhere the job just runs on a normal background thread. Thread-safe (stateless). Also used by the service
/// for its own background rebuilds (the read history after a restart).
/// </remarks>
public static partial class BackgroundWork
{
    private const int Nice = 10;

    /// <summary>Runs <paramref name="work"/> on a new low-priority thread and completes with its result.</summary>
    public static Task<T> RunLowPriority<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerOwnPriority();
            try
            {
                done.SetResult(work());
            }
            catch (Exception ex)
            {
                // Handed to the awaiting caller, which decides what it means.
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "registry-store-background",
        };
        thread.Start();
        return done.Task;
    }

    private static void LowerOwnPriority()
    {
        if (OperatingSystem.IsLinux())
        {
            // Best effort: a failure leaves the thread at normal priority, which is only slower for the writer.
            _ = SetPriority(0 /* PRIO_PROCESS, which on Linux addresses one thread by its id */, GetTid(), Nice);
            var param = 0;
            _ = SetScheduler(0 /* the calling thread */, SchedIdle, ref param);
        }
    }

    private const int SchedIdle = 5;

    [LibraryImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static partial int SetScheduler(int pid, int policy, ref int param);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}
