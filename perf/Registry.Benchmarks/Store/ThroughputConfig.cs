using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Registry.Benchmarks.Store;

/// <summary>
/// A short in-process throughput job. In process because the published store numbers were measured so (the generated
/// project could not restore under the old System.Interactive.Async pin, NU1109; the pin went in issue 13).
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
