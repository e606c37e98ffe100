using Registry.Store.Faults;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Log;

public sealed class FileLogCommitManagerTests : IDisposable
{
    private readonly TempDirectory _dir = new("commit-records");
    private readonly StorageFaultInjector _faults = new();

    private string FilePath => _dir.Combine("log.commit");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_New_CreatesTheFileWithTwoEmptySlots()
    {
        using var manager = Open();
        Assert.Null(manager.Latest);
        Assert.Empty(manager.ListCommits());
        Assert.Equal(CommitRecordFormat.FileSize, new FileInfo(FilePath).Length);
        Assert.All(File.ReadAllBytes(FilePath), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Commit_AlternatesSlots_SoThePreviousRecordSurvivesATornWrite()
    {
        using (var manager = Open())
        {
            manager.Commit(64, 100, [1], commitNum: 1, forceWriteMetadata: false);
            manager.Commit(64, 200, [2], commitNum: 2, forceWriteMetadata: false);
            manager.Commit(64, 300, [3], commitNum: 5, forceWriteMetadata: false);
            Assert.Equal([5L, 2L], manager.ListCommits());
            Assert.Equal([3], manager.GetCommitMetadata(5));
        }

        // Tear the newest record (commit 5): opening falls back to commit 2 and says why.
        FileSurgery.FlipByte(FilePath, 16);
        using (var reopened = Open())
        {
            Assert.Equal(2, reopened.Latest!.CommitNum);
            Assert.Contains("slot 0 (offset 0): checksum mismatch", Assert.Single(reopened.Rejected), StringComparison.Ordinal);
        }

        // Damage past the record, in the slot's zero padding, is damage too.
        FileSurgery.FlipByte(FilePath, CommitRecordFormat.SlotSize + 100);
        using var again = Open();
        Assert.Null(again.Latest);
        Assert.Contains("non-zero byte at offset 100 after the record", again.Rejected[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_WhenTheWriteFails_RecordsTheFailureInsteadOfThrowing()
    {
        using var manager = Open();
        manager.Commit(64, 100, [1], commitNum: 1, forceWriteMetadata: false);
        _faults.FailWrites(StorageWriteFailure.DiskFull);
        manager.Commit(64, 200, [2], commitNum: 2, forceWriteMetadata: false);

        var failure = manager.TakeWriteFailure();
        Assert.NotNull(failure);
        Assert.Equal(28, failure.HResult);
        Assert.Null(manager.TakeWriteFailure());
        Assert.Equal(1, manager.Latest!.CommitNum);
    }

    [Fact]
    public void Open_MissingFile_WithoutCreate_Throws() =>
        Assert.Throws<FileNotFoundException>(() => FileLogCommitManager.Open(FilePath, _faults, create: false));

    private FileLogCommitManager Open() => FileLogCommitManager.Open(FilePath, _faults, create: true);
}
