using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Registry.Core.Machine;
using Registry.Core.State;
using Registry.Store;
using Registry.Store.Checkpoints;
using Registry.Store.IO;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Benchmarks.Store;

/// <summary>
/// Checkpoints of a 50,000-descriptor state. "Write50kCheckpoint": serialize (Registry.Core's snapshot codec) and
/// write atomically (temp file, fsync, rename, directory fsync). "CheckpointWhileAppending": the same through
/// RegistryStore while a writer appends durably one event at a time; the longest gap between two append
/// completions during the checkpoint, and in an equally long window without one, is printed at cleanup.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project perf/Registry.Benchmarks -- --filter '*CheckpointBenchmarks*'</c>.</remarks>
[Config(typeof(CheckpointConfig))]
[MemoryDiagnoser]
public class CheckpointBenchmarks
{
    private readonly List<double> _gapsDuring = [];
    private readonly List<double> _gapsBaseline = [];
    private readonly Queue<(RegistryEvent Event, RegistryState After)> _events = new();
    private RegistryState _state = null!;
    private string _directory = "";
    private FileCheckpointStore _checkpoints = null!;
    private RegistryStore _store = null!;

    // Synchronous on purpose: the in-process toolchain does not await an async [GlobalSetup].
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
        // The warm-up iterations ran the same method; only the measured ones count.
        _gapsDuring.RemoveRange(0, Math.Max(0, _gapsDuring.Count - CheckpointConfig.MeasuredCheckpoints));
        _gapsBaseline.RemoveRange(0, Math.Max(0, _gapsBaseline.Count - CheckpointConfig.MeasuredCheckpoints));
        if (_gapsDuring.Count > 0)
        {
            Console.WriteLine($"// longest append gap during a checkpoint: max {_gapsDuring.Max():0.00} ms, median {Median(_gapsDuring):0.00} ms over {_gapsDuring.Count} checkpoints");
            Console.WriteLine($"// longest append gap without a checkpoint (same window): max {_gapsBaseline.Max():0.00} ms, median {Median(_gapsBaseline):0.00} ms");
        }
    }

    [Benchmark]
    public CheckpointInfo Write50kCheckpoint()
    {
        using var buffer = new ChunkedBufferWriter();
        StateSnapshotCodec.Write(_state, buffer);
        return _checkpoints.Write(new Checkpoint(_state.Version, new LogPosition(64, 1), DateTimeOffset.UtcNow, buffer.WrittenSequence));
    }

    [Params(false, true)]
    public bool SerializeOnly { get; set; }

    [Benchmark]
    public async Task CheckpointWhileAppending()
    {
        using var stop = new CancellationTokenSource();
        var gaps = new List<double>();
        var appender = AppendUntilAsync(gaps, stop.Token);
        var started = Stopwatch.GetTimestamp();
        if (SerializeOnly)
        {
            // The same low-priority thread the store uses, without the disk write.
            await BackgroundWork.RunLowPriority(() =>
            {
                using var buffer = new ChunkedBufferWriter();
                StateSnapshotCodec.Write(_state, buffer);
                return buffer.Length;
            });
        }
        else
        {
            await _store.CheckpointNowAsync();
        }

        var took = Stopwatch.GetElapsedTime(started);
        stop.Cancel();
        await appender;
        _gapsDuring.Add(gaps.Count == 0 ? took.TotalMilliseconds : gaps.Max());

        // The same length of time without a checkpoint, for comparison.
        var baseline = new List<double>();
        using var stopBaseline = new CancellationTokenSource(took);
        await AppendUntilAsync(baseline, stopBaseline.Token);
        _gapsBaseline.Add(baseline.Count == 0 ? 0 : baseline.Max());
    }

    private async Task AppendUntilAsync(List<double> gaps, CancellationToken stop)
    {
        var last = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested && _events.TryDequeue(out var next))
        {
            await _store.AppendAsync([next.Event], CancellationToken.None);
            _store.OnPublished(next.After);
            var now = Stopwatch.GetTimestamp();
            gaps.Add(Stopwatch.GetElapsedTime(last, now).TotalMilliseconds);
            last = now;
        }
    }

    private async Task SetupAsync()
    {
        var data = await StoreDataset.EnsureAsync();
        _state = await StoreDataset.LoadStateAsync(data);
        _directory = Path.Combine(Path.GetTempPath(), "registry-bench-checkpoint-" + Guid.NewGuid().ToString("N"));
        _checkpoints = new FileCheckpointStore(Path.Combine(_directory, "plain"), 2);

        // A store whose state is the 50k-descriptor one: copy the dataset, then pre-build the events to append.
        var copy = Path.Combine(_directory, "store");
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(copy, Path.GetRelativePath(data, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        _store = await RegistryStore.OpenAsync(
            new RegistryStoreOptions { DataDirectory = copy, CheckpointEveryCommits = 10_000_000, CheckpointInterval = TimeSpan.FromDays(1), CheckpointOnClose = false },
            StoreDataset.Genesis);
        using var chain = new ChainBuilder(_store.Recovered);
        var nextId = 1_000_000;
        for (var i = 0; i < 6_000; i++)
        {
            foreach (var @event in chain.Write(nextId++))
            {
                _events.Enqueue((@event, chain.State));
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
