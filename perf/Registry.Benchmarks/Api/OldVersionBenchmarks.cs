using BenchmarkDotNet.Attributes;
using Registry.Api.ReadPlane;
using Registry.Benchmarks.Store;
using Registry.Core.Machine;
using Registry.Core.State;
using Registry.Store;

namespace Registry.Benchmarks.Api;

/// <summary>
/// The two halves of serving a version older than the in-memory window (<c>GET /registry/{version}</c>) at 50,000
/// descriptors: replaying commit records from the log onto an anchor state (as <see cref="VersionHistory"/> does), and
/// building the response body (<see cref="SnapshotCache"/>: every descriptor, sorted by id, as canonical JSON).
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project perf/Registry.Benchmarks -- --filter '*OldVersionBenchmarks*'</c>.</remarks>
[Config(typeof(OpenConfig))]
[MemoryDiagnoser]
public class OldVersionBenchmarks
{
    private RegistryStore _store = null!;
    private RegistryState _anchor = null!;
    private RegistryState _head = null!;

    [Params(256, 1023)]
    public int Commits { get; set; }

    // Synchronous on purpose: the in-process toolchain does not await an async [GlobalSetup].
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _store.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<long> ReplayFromAnchor()
    {
        var state = _anchor;
        await foreach (var record in _store.ReadCommitsAsync(state.Version + 1, state.Version + Commits))
        {
            state = state.Apply(new Committed(record));
        }

        return state.Version;
    }

    [Benchmark]
    public int BuildBody() => new SnapshotCache().Get(_head).Json.Length;

    private async Task SetupAsync()
    {
        var data = await StoreDataset.EnsureAsync();
        _store = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = data, CheckpointOnClose = false }, StoreDataset.Genesis);
        _head = _store.Recovered;

        // An anchor 2,048 commits behind HEAD, replayed once from genesis.
        var state = RegistryState.FromGenesis(StoreDataset.Genesis);
        await foreach (var record in _store.ReadCommitsAsync(1, _head.Version - 2048))
        {
            state = state.Apply(new Committed(record));
        }

        _anchor = state;
    }
}

