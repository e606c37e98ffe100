using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Store;
using Registry.Store.Tests.Support;

namespace Registry.Benchmarks.Store;

/// <summary>
/// A data directory holding 50,000 descriptors written by 100,002 log events (33,334 full writes: propose, approve,
/// commit; one or two descriptors each), built once through the real store and kept under perf/results/tmp.
/// </summary>
internal static class StoreDataset
{
    public const int Writes = 33_334;

    public static GenesisRecord Genesis
    {
        get
        {
            using var chain = new ChainBuilder();
            return chain.Genesis;
        }
    }

    /// <summary>The directory of the dataset, built on first use (about a minute), reused afterwards.</summary>
    public static async Task<string> EnsureAsync()
    {
        var root = Path.Combine(FindRepoRoot(), "perf", "results", "tmp", "store-50k-descriptors-100k-events");
        var done = Path.Combine(root, "COMPLETE");
        if (File.Exists(done))
        {
            return Path.Combine(root, "data");
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var data = Path.Combine(root, "data");
        using var chain = new ChainBuilder();
        await using (var store = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = data }, chain.Genesis))
        {
            var nextId = 1;
            var batch = new List<RegistryEvent>();
            for (var write = 0; write < Writes; write++)
            {
                var count = write % 2 == 0 ? 1 : 2;
                batch.AddRange(chain.Write(nextId, count, attrBytes: 64));
                nextId += count;
                if (batch.Count >= 300 || write == Writes - 1)
                {
                    await store.AppendAsync(batch);
                    store.OnPublished(chain.State);
                    batch.Clear();
                }
            }

            Console.WriteLine($"// dataset: {chain.State.Descriptors.Count} descriptors, version {chain.State.Version}, {store.Durable.EntryCount} log events");
        }

        await File.WriteAllTextAsync(done, "ok\n");
        return data;
    }

    /// <summary>The state of the dataset (read back through the store).</summary>
    public static async Task<Core.State.RegistryState> LoadStateAsync(string data)
    {
        await using var store = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = data, CheckpointOnClose = false }, Genesis);
        return store.Recovered;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Registry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Registry.sln not found above " + AppContext.BaseDirectory);
    }
}
