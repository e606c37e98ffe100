using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Registry.Benchmarks.Store;

/// <summary>
/// A short in-process throughput job (BenchmarkDotNet's generated project cannot restore under the deliberate
/// System.Interactive.Async pin, NU1109).
/// </summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig() =>
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Throughput)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(10));
}
