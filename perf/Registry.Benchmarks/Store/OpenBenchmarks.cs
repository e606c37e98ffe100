using BenchmarkDotNet.Attributes;
using Registry.Store;

namespace Registry.Benchmarks.Store;

/// <summary>
/// Open a data directory holding 50,000 descriptors and 100,000 log events to ready: lock, log recovery and tail
/// verification, newest checkpoint decoded (Core re-derives the state root), replay and verification of the log
/// after it. "AfterCleanClose" has the close checkpoint at the tail; "AfterCrash" has lost the newer checkpoints and
/// replays the last 10,002 events (3,334 commits, each re-verified with its Ed25519 approval) from the one before.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project perf/Registry.Benchmarks -- --filter '*OpenBenchmarks*'</c>. The dataset is built on first run.</remarks>
[Config(typeof(OpenConfig))]
public class OpenBenchmarks
{
    private string _clean = "";
    private string _crashed = "";

    // Synchronous on purpose: the in-process toolchain does not await an async [GlobalSetup].
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var data = await StoreDataset.EnsureAsync();
        _clean = CopyOf(data, "clean");
        _crashed = CopyOf(data, "crashed");

        // Drop the newest checkpoints so the open replays the events after the previous one, as after a crash.
        var genesis = StoreDataset.Genesis;
        var checkpoints = new global::Registry.Store.Checkpoints.FileCheckpointStore(Path.Combine(_crashed, "checkpoints"), 10);
        foreach (var info in checkpoints.List().Where(c => c.Next.Sequence > StoreDataset.Writes * 3 - 9_000))
        {
            File.Delete(info.Location);
        }

        await using var rebuilt = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = _crashed, CheckpointOnClose = false, CheckpointEveryCommits = 1_000_000 }, genesis);
        Console.WriteLine($"// after-crash open replays {rebuilt.Recovery.EntriesReplayed} entries from {rebuilt.Recovery.Checkpoint?.Location}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Directory.Delete(_clean, recursive: true);
        Directory.Delete(_crashed, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task<long> AfterCleanClose() => await OpenAsync(_clean);

    [Benchmark]
    public async Task<long> AfterCrash() => await OpenAsync(_crashed);

    private static async Task<long> OpenAsync(string directory)
    {
        await using var store = await RegistryStore.OpenAsync(
            new RegistryStoreOptions { DataDirectory = directory, CheckpointOnClose = false, CheckpointEveryCommits = 1_000_000 }, StoreDataset.Genesis);
        return store.Recovered.Version;
    }

    private static string CopyOf(string data, string name)
    {
        var target = Path.Combine(Path.GetTempPath(), $"registry-bench-open-{name}-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(data, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(data, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }
}
