using System.Diagnostics;
using System.Text;

namespace Registry.Api.Metrics;

public sealed partial class PrometheusExporter
{
    // The conventional process_* metrics (as the Prometheus client libraries export them) and the
    // .NET runtime's GC and thread-pool figures, read from the runtime at scrape time.
    private static void RenderProcess(StringBuilder text)
    {
        using var process = Process.GetCurrentProcess();
        Gauge(text, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", process.TotalProcessorTime.TotalSeconds);
        Gauge(text, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", process.WorkingSet64);
        Gauge(text, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", process.VirtualMemorySize64);
        Gauge(text, "process_start_time_seconds", "gauge", "Start time of the process since the Unix epoch in seconds.", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        Gauge(text, "process_open_fds", "gauge", "Number of open file descriptors.", OpenFileDescriptors());
        Gauge(text, "process_threads", "gauge", "Number of OS threads in the process.", process.Threads.Count);

        text.Append("# HELP dotnet_gc_collections_total Garbage collections since the process started, by generation.\n# TYPE dotnet_gc_collections_total counter\n");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            text.Append("dotnet_gc_collections_total{generation=\"gen").Append(generation).Append("\"} ").Append(GC.CollectionCount(generation)).Append('\n');
        }

        var info = GC.GetGCMemoryInfo();
        Gauge(text, "dotnet_gc_heap_size_bytes", "gauge", "GC heap size after the last collection in bytes.", info.HeapSizeBytes);
        Gauge(text, "dotnet_gc_allocated_bytes_total", "counter", "Bytes allocated on the GC heap since the process started.", GC.GetTotalAllocatedBytes());
        Gauge(text, "dotnet_gc_pause_seconds_total", "counter", "Total time the GC paused the process, in seconds.", GC.GetTotalPauseDuration().TotalSeconds);
        Gauge(text, "dotnet_gc_memory_total_available_bytes", "gauge", "Memory available to the GC in bytes.", info.TotalAvailableMemoryBytes);
        Gauge(text, "dotnet_threadpool_threads", "gauge", "Thread-pool worker threads.", ThreadPool.ThreadCount);
        Gauge(text, "dotnet_threadpool_queue_length", "gauge", "Work items queued to the thread pool.", ThreadPool.PendingWorkItemCount);
        Gauge(text, "dotnet_threadpool_completed_items_total", "counter", "Work items the thread pool has completed.", ThreadPool.CompletedWorkItemCount);
        Gauge(text, "dotnet_exceptions_total", "counter", "Exceptions thrown since the process started.", ExceptionCount());
    }

    private static long s_exceptions;

    /// <summary>Counts first-chance exceptions for <c>dotnet_exceptions_total</c>.</summary>
    internal static void TrackExceptions() => AppDomain.CurrentDomain.FirstChanceException += static (_, _) => Interlocked.Increment(ref s_exceptions);

    private static long ExceptionCount() => Interlocked.Read(ref s_exceptions);

    private static void Gauge(StringBuilder text, string name, string type, string help, double value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n')
            .Append(name).Append(' ').Append(Number(value)).Append('\n');

    private static int OpenFileDescriptors()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
