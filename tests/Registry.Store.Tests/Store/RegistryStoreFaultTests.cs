using Registry.Core.Machine;
using Registry.Store.Faults;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Store;

/// <summary>Write faults at the store level: typed error, state not advanced, reads continue, writes resume.</summary>
public sealed class RegistryStoreFaultTests : IDisposable
{
    private readonly StoreFixture _fixture = new();
    private readonly StorageFaultInjector _faults = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task FullDisk_FailsTheAppend_ReadsContinue_AndWritesResumeWhenItClears()
    {
        await using (var store = await _fixture.OpenAsync(o => new RegistryStoreOptions { DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = false, Faults = _faults }))
        {
            var durable = await _fixture.WriteAsync(store, 3);
            _faults.FailWrites(StorageWriteFailure.DiskFull);

            // The writer decides on a copy of the state; it adopts the new state only if the append succeeds.
            using var attempt = new ChainBuilder(durable);
            var events = attempt.Write(1000);
            var error = await Assert.ThrowsAsync<StorageWriteException>(async () => await store.AppendAsync(events));
            Assert.Equal(StorageWriteFailure.DiskFull, error.Failure);
            Assert.False(store.Writable);
            Assert.Equal(3, (await store.ReadCommitsAsync(1, 10).CollectAsync()).Count);

            _faults.Clear();
            var written = await _fixture.WriteAsync(store, 1);
            Assert.True(store.Writable);
            Assert.Equal(4, written.Version);
        }

        await using var reopened = await _fixture.OpenAsync();
        Assert.Equal(4, reopened.Recovered.Version);
        Assert.DoesNotContain(reopened.Recovered.Descriptors, d => d.Id == "region:r1000");
    }

    [Fact]
    public async Task CheckpointWriteFailure_IsCounted_AndTheNextOneSucceeds()
    {
        var checkpointDir = _fixture.Data.CheckpointDirectory;
        await using var store = await _fixture.OpenAsync(o => new RegistryStoreOptions { DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = false, CheckpointEveryCommits = 2 });
        Directory.CreateDirectory(Path.GetDirectoryName(checkpointDir)!);

        // A file where the checkpoint directory should be makes the checkpoint write fail like a broken disk would.
        File.WriteAllBytes(checkpointDir, [0]);
        await _fixture.WriteAsync(store, 2);
        await store.CheckpointIdleAsync();
        Assert.Equal(1, store.CheckpointFailures);
        Assert.True(store.Writable);

        File.Delete(checkpointDir);
        await _fixture.WriteAsync(store, 1);
        await store.CheckpointIdleAsync();
        Assert.Equal(1, store.CheckpointsWritten);
    }
}
