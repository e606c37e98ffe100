using Registry.Store.Log;

namespace Registry.Benchmarks.Store;

/// <summary>A FasterEventLog in a fresh temp directory on the real disk, removed afterwards.</summary>
internal sealed class AppendBenchmarkLog : IAsyncDisposable
{
    private readonly string _directory;

    private AppendBenchmarkLog(string directory, FasterEventLog log)
    {
        _directory = directory;
        Log = log;
    }

    public FasterEventLog Log { get; }

    public static async Task<AppendBenchmarkLog> CreateAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "registry-bench-log-" + Guid.NewGuid().ToString("N"));
        return new AppendBenchmarkLog(directory, await FasterEventLog.OpenAsync(new FasterEventLogOptions { Directory = directory }));
    }

    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
