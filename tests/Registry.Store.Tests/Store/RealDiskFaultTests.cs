using Registry.Store.Tests.Support;
using Registry.Testing;

namespace Registry.Store.Tests.Store;

/// <summary>
/// Write faults from a real file system, not the injector (issue 14, defect 1): a tmpfs that fills up and frees space
/// again, and a log directory that cannot be written. The store recovers by itself, with no append to prompt it: the
/// service's write plane sends none while storage is not writable.
/// </summary>
public sealed class RealDiskFaultTests : IDisposable
{
    private readonly TmpfsMount _disk = new("store-full", 8);
    private readonly ChainBuilder _chain = new();
    private int _next = 1;

    public void Dispose()
    {
        _chain.Dispose();
        _disk.Dispose();
    }

    [Fact]
    public async Task FullTmpfs_FailsWithDiskFull_AndTheStoreHealsByItself_WhenSpaceReturns()
    {
        await using var store = await OpenAsync();
        var changes = new WritabilityWatcher(store);
        var filler = _disk.Fill("filler", leaveFree: 1 << 20);
        var error = await FillUntilFailureAsync(store);
        Assert.Equal(StorageWriteFailure.DiskFull, error.Failure);
        Assert.False(store.Writable);
        var durable = _chain.State.Version;
        Assert.Equal(durable, (await store.ReadCommitsAsync(1, long.MaxValue).CollectAsync()).Count);

        var healed = changes.NextWritable();
        File.Delete(filler);
        await WaitAsync(healed, changes);
        Assert.True(store.Writable);
        Assert.Contains(changes.Seen, c => !c.Writable && c.Reason.Contains("DiskFull", StringComparison.Ordinal));

        await store.AppendAsync(_chain.Write(_next++));
        Assert.Equal(durable + 1, (await store.ReadCommitsAsync(1, long.MaxValue).CollectAsync()).Count);
    }

    [Fact]
    public async Task UnwritableLogDirectory_KeepsTheStoreFaulted_UntilWritableAgain()
    {
        await using var store = await OpenAsync();
        var changes = new WritabilityWatcher(store);
        var filler = _disk.Fill("filler", leaveFree: 1 << 20);
        await FillUntilFailureAsync(store);
        var logDirectory = new DataDirectory(Path.Combine(_disk.Path, "data")).LogDirectory;
        var denied = changes.Next(c => !c.Writable && c.Reason.Contains("Operation not permitted", StringComparison.Ordinal));
        TmpfsMount.SetImmutable(logDirectory, immutable: true);
        try
        {
            File.Delete(filler);
            await WaitAsync(denied, changes);
            Assert.False(store.Writable);
            await Assert.ThrowsAsync<StorageWriteException>(async () => await store.AppendAsync(new ChainBuilder(_chain.State).Write(_next)));
        }
        finally
        {
            TmpfsMount.SetImmutable(logDirectory, immutable: false);
        }

        await WaitAsync(changes.NextWritable(), changes);
        await store.AppendAsync(_chain.Write(_next++));
        Assert.True(store.Writable);
    }

    private static async Task WaitAsync(Task change, WritabilityWatcher changes)
    {
        try
        {
            await change.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Fail("the expected change did not come within 30 s; changes seen: " + string.Join(" | ", changes.Seen.Select(c => c.Reason)));
        }
    }

    private Task<RegistryStore> OpenAsync() => RegistryStore.OpenAsync(
        new RegistryStoreOptions { DataDirectory = Path.Combine(_disk.Path, "data"), CheckpointOnClose = false, WriteFaultRetryInterval = TimeSpan.FromMilliseconds(100) },
        _chain.Genesis);

    /// <summary>Appends writes with large descriptors until the disk is full; returns the failure.</summary>
    private async Task<StorageWriteException> FillUntilFailureAsync(RegistryStore store)
    {
        for (var attempts = 0; attempts < 1000; attempts++)
        {
            // Decided on a copy of the state: the chain adopts the events only once they are durable.
            using var attempt = new ChainBuilder(_chain.State);
            try
            {
                await store.AppendAsync(attempt.Write(_next, 4, attrBytes: 8192));
            }
            catch (StorageWriteException ex)
            {
                return ex;
            }

            _chain.Write(_next, 4, attrBytes: 8192);
            _next += 4;
            store.OnPublished(_chain.State);
        }

        throw new InvalidOperationException("1000 writes fitted on a disk with 1 MiB free");
    }
}
