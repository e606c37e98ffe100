using System.Runtime.InteropServices;

namespace Registry.Store.IO;

/// <summary>
/// Runs a long CPU- and disk-heavy job (a checkpoint, the read history's rebuild after a start) on its own thread at a
/// lower scheduling priority (Linux nice 10), so on a small machine the writer, the log's I/O threads and requests win
/// the CPU whenever they need it.
/// </summary>
/// <remarks>
/// <para>
/// Not lower (nice 19, <c>SCHED_IDLE</c>): the thread runs managed code, and a garbage collection must wait for every
/// such thread to reach a safe point; a thread that a busy machine schedules a few times a second would stall the whole
/// process at each collection. Nice 10 still gets about a tenth of a contended core.
/// </para>
/// <para>
/// Linux schedules threads individually and lets any thread lower its own priority (<c>setpriority(2)</c> on its thread
/// id); elsewhere the job just runs on a normal background thread. Thread-safe (stateless). Also used by the service
/// for its own background rebuilds (the read history after a restart).
/// </para>
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
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int priority);
}
