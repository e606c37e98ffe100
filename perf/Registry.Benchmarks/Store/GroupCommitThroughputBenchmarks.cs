using BenchmarkDotNet.Attributes;

namespace Registry.Benchmarks.Store;

/// <summary>
/// Durable append throughput with 64 concurrent writers that share group commits. The reported time is per event;
/// events/s = 1 s / Mean. The flushes per append ratio is printed at cleanup.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project perf/Registry.Benchmarks -- --filter '*GroupCommitThroughput*'</c>. 256-byte payloads.</remarks>
[Config(typeof(ThroughputConfig))]
public class GroupCommitThroughputBenchmarks
{
    private const int Writers = 64;
    private const int PerWriter = 100;
    private readonly byte[] _payload = new byte[256];
    private AppendBenchmarkLog _log = null!;

    // Synchronous on purpose: the in-process toolchain does not await an async [GlobalSetup].
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        Random.Shared.NextBytes(_payload);
        _log = await AppendBenchmarkLog.CreateAsync();
    }

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task CleanupAsync()
    {
        var stats = _log.Log.Statistics;
        Console.WriteLine($"// group commit: {stats.Appends} appends in {stats.Flushes} flushes ({(double)stats.Appends / stats.Flushes:0.0} per flush)");
        await _log.DisposeAsync();
    }

    [Benchmark(OperationsPerInvoke = Writers * PerWriter)]
    public Task SixtyFourWriters_DurableAppend() =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await _log.Log.WaitForDurableAsync(_log.Log.Append(_payload));
            }
        })));
}
