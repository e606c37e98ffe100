using Registry.Store.Checkpoints;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Checkpoints;

public sealed class FileCheckpointStoreTests : CheckpointStoreContract, IDisposable
{
    private readonly TempDirectory _dir = new("checkpoints");

    public void Dispose() => _dir.Dispose();

    protected override ICheckpointStore Create(int keep) => new FileCheckpointStore(_dir.Path, keep);

    protected override void Damage(ICheckpointStore store, CheckpointInfo info, int offset) => FileSurgery.FlipByte(info.Location, offset);

    [Fact]
    public void Write_LeavesOnlyTheFinalFile()
    {
        var info = Create(3).Write(At(9));
        Assert.Equal([Path.Combine(_dir.Path, "checkpoint-00000000000000000009.ckpt")], Directory.GetFiles(_dir.Path));
        Assert.Equal(info.Size, new FileInfo(info.Location).Length);
    }

    [Fact]
    public void LoadNewest_TruncatedNewest_FallsBackAndReportsTheLengths()
    {
        var store = Create(3);
        store.Write(At(1));
        var newest = store.Write(At(2));
        FileSurgery.Truncate(newest.Location, newest.Size - 10);

        var result = store.LoadNewest();
        Assert.Equal(1, result.Checkpoint!.Next.Sequence);
        Assert.Contains("header says", Assert.Single(result.Rejected).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadNewest_MissingNewest_LoadsThePrevious()
    {
        var store = Create(3);
        store.Write(At(1));
        File.Delete(store.Write(At(2)).Location);

        var result = store.LoadNewest();
        Assert.Equal(1, result.Checkpoint!.Next.Sequence);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void LoadNewest_LeftoverTempFileFromACrash_IsIgnored_AndTheNextWriteRemovesIt()
    {
        var store = Create(3);
        store.Write(At(1));
        var temp = Path.Combine(_dir.Path, FileCheckpointStore.FileNameFor(2) + ".tmp");
        File.WriteAllBytes(temp, [1, 2, 3]);

        Assert.Equal(1, store.LoadNewest().Checkpoint!.Next.Sequence);
        store.Write(At(3));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public void LoadNewest_FileRenamedToAnotherPosition_IsRejected()
    {
        var store = Create(3);
        var info = store.Write(At(4));
        File.Move(info.Location, Path.Combine(_dir.Path, FileCheckpointStore.FileNameFor(8)));

        var result = store.LoadNewest();
        Assert.Null(result.Checkpoint);
        Assert.Contains("the file name says sequence 8, the header says 4", Assert.Single(result.Rejected).Reason, StringComparison.Ordinal);
    }
}
