using Registry.Testing;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Store;

/// <summary>Write faults from a real file system, not the injector: a tmpfs that fills up and frees space again.</summary>
public sealed class RealDiskFaultTests : IDisposable
{
    private readonly TmpfsMount _disk = new("store-full", 8);
    private readonly ChainBuilder _chain = new();

    public void Dispose()
    {
        _chain.Dispose();
        _disk.Dispose();
    }

    [Fact]
    public async Task FullTmpfs_FailsWithDiskFull_AndWritesResumeWhenSpaceReturns()
    {
        var options = new RegistryStoreOptions { DataDirectory = Path.Combine(_disk.Path, "data"), CheckpointOnClose = false };
        await using var store = await RegistryStore.OpenAsync(options, _chain.Genesis);
        var filler = _disk.Fill("filler", leaveFree: 1 << 20);
        var next = 1;
        StorageWriteException? error = null;
        while (error is null)
        {
            using var attempt = new ChainBuilder(_chain.State);
            var events = attempt.Write(next, 4, attrBytes: 512);
            try
            {
                await store.AppendAsync(events);
                _chain.Write(next, 4, attrBytes: 512);
                next += 4;
                store.OnPublished(_chain.State);
            }
            catch (StorageWriteException ex)
            {
                error = ex; Console.WriteLine("FAULT " + ex.Message + " free=" + _disk.FreeBytes + " v=" + _chain.State.Version);
            }
        }

        Assert.False(store.Writable);
        File.Delete(filler);
        var version = _chain.State.Version;
        await store.AppendAsync(_chain.Write(next, 1));
        store.OnPublished(_chain.State);
        Assert.True(store.Writable);
        Assert.Equal(version + 1, store.Recovered.Version + (await store.ReadCommitsAsync(1, long.MaxValue).CollectAsync()).Count - store.Recovered.Version);
    }
}
