using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Mathematics.OutlierDetection;

namespace Registry.Benchmarks.Store;

/// <summary>
/// Single durable appends one per iteration, every outlier kept, with P95 and P99 columns. In process: BenchmarkDotNet's
/// generated project cannot restore under the deliberate System.Interactive.Async pin (NU1109).
/// </summary>
public sealed class P99Config : ManualConfig
{
    public P99Config()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(50)
            .WithIterationCount(3000)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithOutlierMode(OutlierMode.DontRemove));
        AddColumn(StatisticColumn.P95, new P99Column());
    }
}
