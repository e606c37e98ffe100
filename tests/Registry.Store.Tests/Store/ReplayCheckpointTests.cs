using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Store;

/// <summary>
/// A recovery that replayed many entries takes a checkpoint before the store is handed out (issue 14, defect 6), so
/// a process that never lives as long as the checkpoint interval does not replay ever more of the log.
/// </summary>
public sealed class ReplayCheckpointTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task ALongReplay_TakesACheckpoint_SoTheNextStartReplaysOnlyWhatCameAfter()
    {
        // No checkpoint would ever be due on its own: huge interval and commit count, none on close (a crash).
        RegistryStoreOptions Options(RegistryStoreOptions o) => new()
        {
            DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = false,
            CheckpointInterval = TimeSpan.FromDays(1), CheckpointEveryCommits = 1_000_000, CheckpointAfterReplayEntries = 30,
        };

        await using (var first = await _fixture.OpenAsync(Options))
        {
            await _fixture.WriteAsync(first, 12); // 36 entries
        }

        await using (var second = await _fixture.OpenAsync(Options))
        {
            Assert.Equal(36, second.Recovery.EntriesReplayed);
            Assert.NotNull(second.Recovery.CheckpointAfterReplay?.Written);
            Assert.Equal(12, second.Recovery.CheckpointAfterReplay!.Written!.RegistryVersion);
            await _fixture.WriteAsync(second, 3); // 9 entries, below the threshold
        }

        await using (var third = await _fixture.OpenAsync(Options))
        {
            Assert.Equal(9, third.Recovery.EntriesReplayed);
            Assert.Null(third.Recovery.CheckpointAfterReplay);
            Assert.Equal(15, third.Recovered.Version);
        }

        // Below the threshold nothing was taken, so the replay grows until it crosses it again.
        await using var fourth = await _fixture.OpenAsync(Options);
        Assert.Equal(9, fourth.Recovery.EntriesReplayed);
        Assert.Equal(15, fourth.Recovered.Version);
    }

    [Fact]
    public async Task ACleanClose_TakesALastCheckpoint_SoTheNextStartReplaysNothing()
    {
        await using (var store = await _fixture.OpenAsync(o => new RegistryStoreOptions { DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointInterval = TimeSpan.FromDays(1) }))
        {
            await _fixture.WriteAsync(store, 5);
        }

        await using var reopened = await _fixture.OpenAsync();
        Assert.Equal(0, reopened.Recovery.EntriesReplayed);
        Assert.Equal(5, reopened.Recovered.Version);
        Assert.Equal("clean", reopened.Recovery.Kind);
    }
}
