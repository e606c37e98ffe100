using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Mathematics.OutlierDetection;

namespace Registry.Benchmarks.Store;

/// <summary>
/// Single durable appends one per iteration, every outlier kept, with P95 and P99 columns. In process, as the published
/// store numbers were measured (the generated project could not restore under the old System.Interactive.Async pin,
/// NU1109; the pin went in issue 13).
/// </summary>
/// <remarks>
/// The measured figure is the steady state of a long-running service, so the warm-up is long enough for the JIT's
/// tiered compilation to finish: tier-1 recompilation starts only after a 100 ms quiet period, and 50 warm-up appends
/// (15 ms) left it to land inside measured iterations on a 2-core machine (p99 2.3 ms with 50 warm-ups, 0.47 ms with
/// <c>DOTNET_TieredCompilation=0</c>, same build, same disk).
/// </remarks>
public sealed class P99Config : ManualConfig
{
    /// <summary>Warm-up iterations: a few seconds of appends, well past tier-1 recompilation.</summary>
    public const int WarmupAppends = 3000;

    public P99Config()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(WarmupAppends)
            .WithIterationCount(3000)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithOutlierMode(OutlierMode.DontRemove));
        AddColumn(StatisticColumn.P95, new P99Column());
    }
}
