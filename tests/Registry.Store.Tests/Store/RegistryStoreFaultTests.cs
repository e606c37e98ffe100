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

    [Theory]
    [InlineData(StorageWriteFailure.DiskFull)]
    [InlineData(StorageWriteFailure.IoError)]
    public async Task AfterAFault_TheStoreHealsByItself_WithNoAppendToPromptIt(StorageWriteFailure failure)
    {
        // The service's write plane refuses every write while storage is not writable, so no append ever comes to
        // re-open the log: the store must probe and re-open by itself once the fault clears.
        await using var store = await _fixture.OpenAsync(o => new RegistryStoreOptions
        {
            DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = false, Faults = _faults, WriteFaultRetryInterval = TimeSpan.FromMilliseconds(20),
        });
        var changes = new WritabilityWatcher(store);
        var durable = await _fixture.WriteAsync(store, 2);
        // While the fault lasts, the probes fail and the store stays not writable.
        var probeFailed = changes.Next(c => !c.Writable && c.Reason.Contains("still not writable", StringComparison.Ordinal));
        _faults.FailWrites(failure);
        using var attempt = new ChainBuilder(durable);
        await Assert.ThrowsAsync<StorageWriteException>(async () => await store.AppendAsync(attempt.Write(1000)));
        await probeFailed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(store.Writable);
        Assert.True(_faults.FailedWrites >= 2);

        var healed = changes.NextWritable();
        _faults.Clear();
        await healed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(store.Writable);
        Assert.True(store.LogStatistics.Reopens >= 1);
        Assert.Equal(3, (await _fixture.WriteAsync(store, 1)).Version);
    }

    [Fact]
    public async Task AReopenThatDisagreesWithTheDurableTail_HaltsTheStore_UntilARestart()
    {
        var store = await _fixture.OpenAsync(o => new RegistryStoreOptions
        {
            DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = false, Faults = _faults, WriteFaultRetryInterval = TimeSpan.FromMilliseconds(20),
        });
        await using (store)
        {
            var changes = new WritabilityWatcher(store);
            var durable = await _fixture.WriteAsync(store, 2);
            _faults.FailWrites(StorageWriteFailure.IoError);
            using var attempt = new ChainBuilder(durable);
            await Assert.ThrowsAsync<StorageWriteException>(async () => await store.AppendAsync(attempt.Write(1000)));

            // Someone damages the last durable entry while the log is closed for the fault: the re-open must not guess.
            var halted = changes.Next(c => c.Halted);
            var segment = Directory.GetFiles(_fixture.Data.LogDirectory, "events.log.*").Single();
            FileSurgery.FlipByte(segment, store.Durable.Address - 8);
            _faults.Clear();
            await halted.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.False(store.Writable);
            Assert.NotNull(store.HaltReason);
            var error = await Assert.ThrowsAsync<StorageWriteException>(async () => await store.AppendAsync(new ChainBuilder(durable).Write(1001)));
            Assert.Equal(StorageWriteFailure.Halted, error.Failure);
        }
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
