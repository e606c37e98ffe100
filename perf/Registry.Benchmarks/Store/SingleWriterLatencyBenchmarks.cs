using BenchmarkDotNet.Attributes;

namespace Registry.Benchmarks.Store;

/// <summary>
/// One writer's append-and-wait-for-durability, measured one call per iteration with every outlier kept, so the
/// P99 column is the 99th percentile of single durable appends.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project perf/Registry.Benchmarks -- --filter '*SingleWriterLatency*'</c>. 256-byte payloads.</remarks>
[Config(typeof(P99Config))]
public class SingleWriterLatencyBenchmarks
{
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
    public void Cleanup() => _log.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public async Task SingleWriter_DurableAppend() => await _log.Log.WaitForDurableAsync(_log.Log.Append(_payload));
}
