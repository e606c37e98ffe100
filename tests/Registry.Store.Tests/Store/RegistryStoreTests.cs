using Registry.Core.State;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Store;

public sealed class RegistryStoreTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Open_NewDirectory_StartsAtGenesis()
    {
        await using var store = await _fixture.OpenAsync();
        Assert.Equal(0, store.Recovered.Version);
        Assert.Equal(_fixture.Chain.Genesis.Hash, store.Recovered.HeadHash);
        Assert.Equal("clean", store.Recovery.Kind);
        Assert.True(store.Writable);
    }

    [Fact]
    public async Task Append_ACommitWhoseVersionIsNotExactlyTheNext_HaltsTheStore_InsteadOfBeingIgnored()
    {
        await using var store = await _fixture.OpenAsync();
        var events = _fixture.Chain.Write(1);
        await store.AppendAsync(events);

        // The same commit again: durable, but its version is below the next one, so the index and the caller disagree.
        var error = await Assert.ThrowsAsync<StorageWriteException>(async () => await store.AppendAsync([events[^1]]));
        Assert.Equal(StorageWriteFailure.Halted, error.Failure);
        Assert.Contains("versions must rise by exactly one", store.HaltReason, StringComparison.Ordinal);
        Assert.False(store.Writable);
    }

    [Fact]
    public async Task Reopen_WithoutCheckpoint_ReplaysAndVerifiesEveryCommit()
    {
        RegistryState written;
        await using (var store = await _fixture.OpenAsync())
        {
            written = await _fixture.WriteAsync(store, 12);
            written = await _fixture.ProposeOnlyAsync(store);
        }

        await using var reopened = await _fixture.OpenAsync();
        AssertSameState(written, reopened.Recovered);
        Assert.Null(reopened.Recovery.Checkpoint);
        Assert.Equal("full_replay", reopened.Recovery.Kind);
        Assert.Equal(12, reopened.Recovery.CommitsVerified);
        Assert.Equal(38, reopened.Recovery.EntriesReplayed);
        Assert.Single(reopened.Recovered.Pending);
    }

    [Fact]
    public async Task CheckpointEveryNCommits_IsTakenInTheBackground_AndRecoveryStartsFromIt()
    {
        RegistryState written;
        await using (var store = await _fixture.OpenAsync(o => With(o, everyCommits: 5)))
        {
            written = await _fixture.WriteAsync(store, 7);
            await store.CheckpointIdleAsync();
            Assert.Equal(1, store.CheckpointsWritten);
            Assert.NotNull(store.LastCheckpointAt);
        }

        await using var reopened = await _fixture.OpenAsync();
        AssertSameState(written, reopened.Recovered);
        Assert.Equal(5, reopened.Recovery.Checkpoint!.RegistryVersion);
        Assert.Equal(2, reopened.Recovery.CommitsVerified);
        Assert.Equal(6, reopened.Recovery.EntriesReplayed);
    }

    [Fact]
    public async Task CheckpointInterval_IsMeasuredOnTheInjectedClock()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        await using var store = await _fixture.OpenAsync(o => With(o, everyCommits: 1000, interval: TimeSpan.FromSeconds(60), time: clock));
        await _fixture.WriteAsync(store, 2);
        await store.CheckpointIdleAsync();
        Assert.Equal(0, store.CheckpointsWritten);

        clock.Advance(TimeSpan.FromSeconds(61));
        await _fixture.WriteAsync(store, 1);
        await store.CheckpointIdleAsync();
        Assert.Equal(1, store.CheckpointsWritten);
        Assert.Equal(clock.GetUtcNow(), store.LastCheckpointAt);
        Assert.Equal(0, store.CheckpointAgeSeconds);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(5, store.CheckpointAgeSeconds);
    }

    [Fact]
    public async Task Checkpoints_KeepOnlyTheNewestK()
    {
        await using var store = await _fixture.OpenAsync(o => With(o, everyCommits: 1, kept: 2));
        for (var i = 0; i < 5; i++)
        {
            await _fixture.WriteAsync(store, 1);
            await store.CheckpointIdleAsync();
        }

        Assert.Equal(5, store.CheckpointsWritten);
        Assert.Equal(2, Directory.GetFiles(_fixture.Data.CheckpointDirectory).Length);
    }

    [Fact]
    public async Task ReadCommits_ReturnsRecordsAcrossTheCheckpointBoundary()
    {
        RegistryState written;
        await using (var store = await _fixture.OpenAsync(o => With(o, everyCommits: 4)))
        {
            written = await _fixture.WriteAsync(store, 10);
            await store.CheckpointIdleAsync();
        }

        await using var reopened = await _fixture.OpenAsync();
        Assert.NotNull(reopened.Recovery.Checkpoint);
        var records = await reopened.ReadCommitsAsync(2, 10).CollectAsync();
        Assert.Equal(Enumerable.Range(2, 9).Select(v => (long)v), records.Select(r => r.Version));
        Assert.Equal(written.HeadHash, records[^1].Hash);
        Assert.Empty(await reopened.ReadCommitsAsync(11, 20).CollectAsync());
    }

    [Fact]
    public async Task Open_SameDirectoryTwice_TheSecondIsRefused()
    {
        await using var store = await _fixture.OpenAsync();
        var error = await Assert.ThrowsAsync<IOException>(() => _fixture.OpenAsync());
        Assert.Contains("in use by another process", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithAnotherRegistrysGenesis_IsRefused()
    {
        await using (var store = await _fixture.OpenAsync(o => With(o, everyCommits: 1)))
        {
            await _fixture.WriteAsync(store, 1);
            await store.CheckpointIdleAsync();
        }

        var other = new Core.Model.GenesisRecord("another-registry", _fixture.Chain.Genesis.SignerSet);
        var error = await Assert.ThrowsAsync<CorruptStoreException>(
            () => RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = _fixture.Directory.Path }, other));
        Assert.Contains("wrong data directory or trust roots", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Amnesia_WritesAndReadsCommitsInMemory()
    {
        await using var store = await RegistryStore.OpenAsync(new RegistryStoreOptions { Amnesia = true }, _fixture.Chain.Genesis);
        var written = await _fixture.WriteAsync(store, 3);
        Assert.Equal("memory (amnesia)", store.Description);
        Assert.Equal(written.HeadHash, (await store.ReadCommitsAsync(3, 3).CollectAsync()).Single().Hash);
        Assert.Equal(0, store.CheckpointAgeSeconds);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_fixture.Directory.Path));
    }

    internal static void AssertSameState(RegistryState expected, RegistryState actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.HeadHash, actual.HeadHash);
        Assert.Equal(expected.Descriptors.Root, actual.Descriptors.Root);
        Assert.Equal(expected.Descriptors.Count, actual.Descriptors.Count);
        Assert.Equal(expected.Pending.Keys.Order(), actual.Pending.Keys.Order());
    }

    private static RegistryStoreOptions With(RegistryStoreOptions o, int everyCommits = 10_000, int kept = 3, TimeSpan? interval = null, TimeProvider? time = null) => new()
    {
        DataDirectory = o.DataDirectory,
        LogPageSizeBits = o.LogPageSizeBits,
        CheckpointOnClose = o.CheckpointOnClose,
        CheckpointEveryCommits = everyCommits,
        CheckpointsKept = kept,
        CheckpointInterval = interval ?? TimeSpan.FromHours(1),
        Time = time ?? TimeProvider.System,
    };
}
