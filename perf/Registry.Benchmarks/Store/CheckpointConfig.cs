using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Registry.Benchmarks.Store;

/// <summary>
/// Checkpoints one per iteration, in process (see <see cref="ThroughputConfig"/>), measured in the steady state of a
/// long-running service: the warm-up runs enough checkpoints (a second or more of serializing) for the JIT's tiered
/// compilation to finish. With two warm-ups the tier-1 recompilation of the serializer ran on the second core during
/// measured checkpoints and the appender's longest gap was 6-17 ms; with <c>DOTNET_TieredCompilation=0</c> it was
/// 1.4-4.9 ms on the same build and disk.
/// </summary>
public sealed class CheckpointConfig : ManualConfig
{
    /// <summary>Measured iterations.</summary>
    public const int MeasuredCheckpoints = 30;

    public CheckpointConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(25)
            .WithIterationCount(MeasuredCheckpoints)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
        AddColumn(StatisticColumn.Max, new P99Column());
    }
}
