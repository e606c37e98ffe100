using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Store;

/// <summary>
/// <see cref="RegistryStore.InstallCheckpointAsync"/> (a replica's bootstrap from a checkpoint): records 1..V and the
/// state at V go into an empty store as its log and a checkpoint covering it, so that the next open loads the
/// checkpoint, replays nothing, and serves every record; a store with data refuses it.
/// </summary>
public sealed class InstallCheckpointTests : IDisposable
{
    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Install_IntoAnEmptyStore_IsRecoveredFromOnTheNextOpen_WithEveryRecord()
    {
        var records = new List<CommitRecord>();
        for (var i = 0; i < 40; i++)
        {
            records.Add(((Committed)_fixture.Chain.Write(i * 2, 2)[^1]).Record);
        }

        var state = _fixture.Chain.State;
        await using (var store = await _fixture.OpenAsync())
        {
            Assert.True(store.IsEmpty);
            Assert.Null(store.NewestCheckpoint());
            var info = await store.InstallCheckpointAsync([.. records.Select(r => (ReadOnlyMemory<byte>)r.CanonicalBytes.ToArray())], state);
            Assert.Equal(40, info.RegistryVersion);
            Assert.False(store.IsEmpty);
            Assert.Same(state, store.Recovered);
            Assert.Equal(40, StateSnapshotCodec.Read(store.NewestCheckpoint()!.Value.Snapshot).Version);
        }

        await using var reopened = await _fixture.OpenAsync();
        Assert.Equal(40, reopened.Recovered.Version);
        Assert.Equal(state.HeadHash, reopened.Recovered.HeadHash);
        Assert.Equal(0, reopened.Recovery.EntriesReplayed);
        Assert.Equal(40, reopened.Recovery.Checkpoint!.RegistryVersion);
        var read = new List<CommitRecord>();
        await foreach (var record in reopened.ReadCommitsAsync(1, 40))
        {
            read.Add(record);
        }

        Assert.Equal(records.Select(r => r.Hash), read.Select(r => r.Hash));
        await _fixture.WriteAsync(reopened, 2);
        Assert.Equal(42, _fixture.Chain.State.Version);
    }

    [Fact]
    public async Task Install_IntoAStoreWithData_IsRefusedAndChangesNothing()
    {
        await using var store = await _fixture.OpenAsync();
        var state = await _fixture.WriteAsync(store, 2);
        var before = store.Durable;
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.InstallCheckpointAsync([ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty], state));
        Assert.Equal(before, store.Durable);
    }
}
