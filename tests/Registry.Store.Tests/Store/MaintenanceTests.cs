using Registry.Core.State;
using Registry.Store.Maintenance;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Store;

/// <summary>Hot backup while writes continue, offline restore, and offline verification with its report.</summary>
public sealed class MaintenanceTests : IDisposable
{
    private readonly StoreFixture _fixture = new();
    private readonly TempDirectory _other = new("maintenance");

    public void Dispose()
    {
        _other.Dispose();
        _fixture.Dispose();
    }

    [Fact]
    public async Task HotBackup_WhileWritesContinue_RestoresToAConsistentVerifiedVersion()
    {
        var backupDir = _other.Combine("backup");
        var restoreDir = _other.Combine("restored");
        BackupReport backup;
        RegistryState final;
        await using (var store = await _fixture.OpenAsync())
        {
            await _fixture.WriteAsync(store, 20);
            using var stop = new CancellationTokenSource();
            var backupTaken = new TaskCompletionSource();
            var writer = Task.Run(async () =>
            {
                var afterBackup = 0;
                while (afterBackup < 10)
                {
                    await _fixture.WriteAsync(store, 1);
                    afterBackup += backupTaken.Task.IsCompleted ? 1 : 0;
                }
            });

            backup = await store.BackupAsync(backupDir);
            backupTaken.SetResult();
            await writer;
            final = _fixture.Chain.State;
            Assert.True(backup.Version >= 20 && backup.Version < final.Version, $"backup at {backup.Version}, final {final.Version}");
        }

        var restored = await StoreRestore.RestoreAsync(backupDir, restoreDir, _fixture.Chain.Genesis);
        Assert.True(restored.Ok, restored.ToString());
        Assert.Equal(backup.Version, restored.HeadVersion);
        await using var opened = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = restoreDir }, _fixture.Chain.Genesis);
        Assert.Equal(backup.Version, opened.Recovered.Version);
        Assert.Equal(backup.HeadHash, opened.Recovered.HeadHash.ToString());
        Assert.Equal(0, opened.Recovery.EntriesReplayed);
        Assert.Equal(backup.Version, (await opened.ReadCommitsAsync(1, backup.Version).CollectAsync()).Count);

        // The source went on; the restored copy is its own registry from the backup's version on.
        await using var source = await _fixture.OpenAsync();
        Assert.Equal(final.Version, source.Recovered.Version);
    }

    [Fact]
    public async Task Restore_OverADirectoryWithData_IsRefused()
    {
        await using (var store = await _fixture.OpenAsync())
        {
            await _fixture.WriteAsync(store, 2);
            await store.BackupAsync(_other.Combine("backup"));
        }

        var error = await Assert.ThrowsAsync<IOException>(() => StoreRestore.RestoreAsync(_other.Combine("backup"), _fixture.Directory.Path, _fixture.Chain.Genesis));
        Assert.Contains("already holds data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_HealthyDirectory_ReportsWhatItChecked()
    {
        await using (var store = await _fixture.OpenAsync(o => new RegistryStoreOptions { DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = false, CheckpointEveryCommits = 4 }))
        {
            for (var i = 0; i < 9; i++)
            {
                await _fixture.WriteAsync(store, 1);
                await store.CheckpointIdleAsync();
            }

            await _fixture.ProposeOnlyAsync(store);
        }

        var report = await StoreVerifier.VerifyAsync(_fixture.Directory.Path, _fixture.Chain.Genesis);
        Assert.True(report.Ok, report.ToString());
        Assert.Equal(29, report.Entries);
        Assert.Equal(9, report.Commits);
        Assert.Equal(10, report.Approvals);
        Assert.Equal(10, report.Proposals);
        Assert.Equal(_fixture.Chain.State.HeadHash.ToString(), report.HeadHash);
        Assert.Equal([4L, 8L], report.Checkpoints.Select(c => c.Version).Order());
        Assert.All(report.Checkpoints, c => Assert.Null(c.Problem));
        Assert.All(report.Checkpoints, c => Assert.Null(c.Problem));
        Assert.Contains("result: OK", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_DamagedDirectory_ReportsEachProblemWithoutChangingAnything()
    {
        await using (var store = await _fixture.OpenAsync(o => new RegistryStoreOptions { DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = false, CheckpointEveryCommits = 3 }))
        {
            for (var i = 0; i < 6; i++)
            {
                await _fixture.WriteAsync(store, 1);
                await store.CheckpointIdleAsync();
            }
        }

        var checkpoint = Directory.GetFiles(_fixture.Data.CheckpointDirectory).Order(StringComparer.Ordinal).First();
        FileSurgery.FlipByte(checkpoint, 70);
        var segment = Path.Combine(_fixture.Data.LogDirectory, "events.log.0");
        var bytes = File.ReadAllBytes(segment);
        FileSurgery.FlipByte(segment, Array.FindLastIndex(bytes, b => b != 0));
        var before = Directory.GetFiles(_fixture.Directory.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var report = await StoreVerifier.VerifyAsync(_fixture.Directory.Path, _fixture.Chain.Genesis);
        Assert.False(report.Ok);
        Assert.NotNull(report.TornTail);
        Assert.Contains(report.Problems, p => p.StartsWith("torn log tail", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains(checkpoint, StringComparison.Ordinal) && p.Contains("payload checksum mismatch", StringComparison.Ordinal));
        Assert.Contains("result: FAILED", report.ToString(), StringComparison.Ordinal);
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
    }

    [Fact]
    public async Task Verify_DamageInsideTheLog_VerifiesEverythingBeforeItAndNamesThePlace()
    {
        var segment = Path.Combine(_fixture.Data.LogDirectory, "events.log.0");
        long endOfThird;
        await using (var store = await _fixture.OpenAsync(o => new RegistryStoreOptions { DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = false }))
        {
            for (var i = 0; i < 3; i++)
            {
                await _fixture.WriteAsync(store, 1);
            }

            endOfThird = Array.FindLastIndex(File.ReadAllBytes(segment), b => b != 0);
            for (var i = 0; i < 3; i++)
            {
                await _fixture.WriteAsync(store, 1);
            }
        }

        // Inside the payload of the first entry after version 3 (version 4's proposal); valid entries follow it.
        FileSurgery.FlipByte(segment, endOfThird + 40);
        var before = Directory.GetFiles(_fixture.Directory.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var report = await StoreVerifier.VerifyAsync(_fixture.Directory.Path, _fixture.Chain.Genesis);

        Assert.False(report.Ok);
        Assert.Null(report.TornTail);
        Assert.Equal(3, report.Commits);
        Assert.Equal(3, report.HeadVersion);
        var problem = Assert.Single(report.Problems);
        Assert.Contains(segment, problem, StringComparison.Ordinal);
        Assert.Contains("the damage is inside the log", problem, StringComparison.Ordinal);
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));

        // Only verification reads past such damage: opening the store still refuses the directory.
        await Assert.ThrowsAsync<CorruptStoreException>(async () => await (await _fixture.OpenAsync()).DisposeAsync());
    }
}
