using System.Collections.Immutable;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store.Checkpoints;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Store;

/// <summary>Damage to a data directory, and the documented outcome of opening it (docs in RegistryStore and FasterEventLog).</summary>
public sealed class RegistryStoreCorruptionTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private string Segment => Path.Combine(_fixture.Data.LogDirectory, "events.log.0");

    [Fact]
    public async Task FlippedByteInNewestCheckpoint_FallsBackToThePreviousCheckpoint()
    {
        var written = await WriteWithCheckpointsAsync(commits: 9, everyCommits: 3);
        var newest = new FileCheckpointStore(_fixture.Data.CheckpointDirectory, 3).List()[0];
        FileSurgery.FlipByte(newest.Location, newest.Size - 5);

        await using var store = await _fixture.OpenAsync();
        RegistryStoreTests.AssertSameState(written, store.Recovered);
        Assert.Equal("checkpoint_fallback", store.Recovery.Kind);
        Assert.Equal(6, store.Recovery.Checkpoint!.RegistryVersion);
        var rejected = Assert.Single(store.Recovery.RejectedCheckpoints);
        Assert.Equal(newest.Location, rejected.Location);
        Assert.Contains("payload checksum mismatch", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCheckpointDamaged_FallsBackToAFullReplay()
    {
        var written = await WriteWithCheckpointsAsync(commits: 6, everyCommits: 3);
        foreach (var file in Directory.GetFiles(_fixture.Data.CheckpointDirectory))
        {
            FileSurgery.FlipByte(file, 3);
        }

        await using var store = await _fixture.OpenAsync();
        RegistryStoreTests.AssertSameState(written, store.Recovered);
        Assert.Null(store.Recovery.Checkpoint);
        Assert.Equal(2, store.Recovery.RejectedCheckpoints.Count);
        Assert.Equal(6, store.Recovery.CommitsVerified);
    }

    [Fact]
    public async Task TruncatedAndMissingCheckpoints_FallBackToWhatRemains()
    {
        var written = await WriteWithCheckpointsAsync(commits: 9, everyCommits: 3);
        var list = new FileCheckpointStore(_fixture.Data.CheckpointDirectory, 3).List();
        File.Delete(list[0].Location);
        FileSurgery.Truncate(list[1].Location, 40);

        await using var store = await _fixture.OpenAsync();
        RegistryStoreTests.AssertSameState(written, store.Recovered);
        Assert.Equal(3, store.Recovery.Checkpoint!.RegistryVersion);
        Assert.Contains("shorter than the 64-byte header", Assert.Single(store.Recovery.RejectedCheckpoints).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointBeyondTheLog_RefusesToStart_TheLogLostDurableEntries()
    {
        await WriteWithCheckpointsAsync(commits: 6, everyCommits: 3);
        FileSurgery.Truncate(Segment, new FileInfo(Segment).Length / 4);

        var error = await Assert.ThrowsAsync<CorruptStoreException>(() => _fixture.OpenAsync());
        Assert.Contains("the log lost durable entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogDirectoryDeleted_WithCheckpoints_RefusesToOpenEmpty()
    {
        await WriteWithCheckpointsAsync(commits: 3, everyCommits: 3);
        Directory.Delete(_fixture.Data.LogDirectory, recursive: true);

        var error = await Assert.ThrowsAsync<CorruptStoreException>(() => _fixture.OpenAsync());
        Assert.Equal(_fixture.Data.LogDirectory, error.Path);
        Assert.Contains("refusing to open as an empty registry", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlippedByteInTheMiddleOfTheLog_StopsStartUp_NamingFileAndOffset()
    {
        await using (var store = await _fixture.OpenAsync())
        {
            await _fixture.WriteAsync(store, 40);
        }

        // Entry 10 sits in an early page, read from disk by the replay.
        LogPosition victim;
        await using (var peek = await FasterEventLog.OpenAsync(new FasterEventLogOptions { Directory = _fixture.Data.LogDirectory, PageSizeBits = 14, ReadOnly = true }))
        {
            victim = peek.Read(LogPosition.Origin).ElementAt(10).Position;
        }

        FileSurgery.FlipByte(Segment, victim.Address + 40);
        var error = await Assert.ThrowsAsync<CorruptStoreException>(() => _fixture.OpenAsync());
        Assert.Equal(Segment, error.Path);
        Assert.Equal(victim.Address, error.Position);
    }

    [Fact]
    public async Task FlippedByteBehindTheNewestCheckpoint_OpensFromIt_AndOfflineVerificationReportsTheDamage()
    {
        await using (var store = await _fixture.OpenAsync(o => new RegistryStoreOptions { DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = true }))
        {
            await _fixture.WriteAsync(store, 40);
        }

        LogPosition victim;
        await using (var peek = await FasterEventLog.OpenAsync(new FasterEventLogOptions { Directory = _fixture.Data.LogDirectory, ReadOnly = true }))
        {
            victim = peek.Read(LogPosition.Origin).ElementAt(10).Position;
        }

        FileSurgery.FlipByte(Segment, victim.Address + 40);
        await using (var store = await _fixture.OpenAsync())
        {
            Assert.Equal(0, store.Recovery.EntriesReplayed);
            Assert.Equal(40, store.Recovered.Version);
        }

        var report = await Maintenance.StoreVerifier.VerifyAsync(_fixture.Directory.Path, _fixture.Chain.Genesis);
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Contains(Segment, StringComparison.Ordinal) && p.Contains("checksum", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DamagedLastEntryThatACheckpointCovers_RefusesToStart_InsteadOfCuttingAcknowledgedData()
    {
        await using (var store = await _fixture.OpenAsync(o => new RegistryStoreOptions { DataDirectory = o.DataDirectory, LogPageSizeBits = 14, CheckpointOnClose = true }))
        {
            await _fixture.WriteAsync(store, 5);
        }

        FileSurgery.FlipByte(Segment, new FileInfo(Segment).Length - 1 - FindTrailingZeros());
        var error = await Assert.ThrowsAsync<CorruptStoreException>(() => _fixture.OpenAsync());
        Assert.Contains("the log lost durable entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlippedByteInTheLastEntry_IsCutAsATornTail_AndReported()
    {
        RegistryState beforeLast;
        await using (var store = await _fixture.OpenAsync())
        {
            await _fixture.WriteAsync(store, 5);
            beforeLast = _fixture.Chain.State;
            await _fixture.ProposeOnlyAsync(store);
        }

        FileSurgery.FlipByte(Segment, new FileInfo(Segment).Length - 1 - FindTrailingZeros());
        await using var reopened = await _fixture.OpenAsync();
        Assert.Equal("torn_tail", reopened.Recovery.Kind);
        Assert.Equal(1, reopened.Recovery.Log.TornTail!.EntriesLost);
        Assert.Equal(beforeLast.Version, reopened.Recovered.Version);
        Assert.Single(reopened.Recovered.Pending);
    }

    [Fact]
    public async Task ValidChecksumsButAForgedCommit_StopsStartUp_WithTheVerificationError()
    {
        await using (var store = await _fixture.OpenAsync())
        {
            await _fixture.WriteAsync(store, 2);
            var proposed = _fixture.Chain.Propose(100);
            var state = _fixture.Chain.State;
            var forged = new CommitRecord(state.Version + 1, state.HeadHash, proposed.Proposal, ImmutableArray<Approval>.Empty,
                state.SignerSet.Version, proposed.StateRoot, _fixture.Chain.Now);
            await store.AppendAsync([proposed, new Committed(forged)]);
        }

        var error = await Assert.ThrowsAsync<CorruptStoreException>(() => _fixture.OpenAsync());
        Assert.Equal(Segment, error.Path);
        Assert.Contains("commit fails verification", error.Message, StringComparison.Ordinal);
        Assert.Contains("quorum not met", error.Message, StringComparison.Ordinal);
    }

    private long FindTrailingZeros()
    {
        var bytes = File.ReadAllBytes(Segment);
        var last = Array.FindLastIndex(bytes, b => b != 0);
        return bytes.Length - 1 - last;
    }

    private async Task<RegistryState> WriteWithCheckpointsAsync(int commits, int everyCommits)
    {
        await using var store = await _fixture.OpenAsync(o => new RegistryStoreOptions
        {
            DataDirectory = o.DataDirectory,
            LogPageSizeBits = o.LogPageSizeBits,
        CheckpointOnClose = o.CheckpointOnClose,
            CheckpointEveryCommits = everyCommits,
            CheckpointInterval = TimeSpan.FromHours(1),
        });
        for (var i = 0; i < commits; i++)
        {
            await _fixture.WriteAsync(store, 1);
            await store.CheckpointIdleAsync();
        }

        return _fixture.Chain.State;
    }
}
