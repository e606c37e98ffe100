using System.Text;
using Registry.Store.Checkpoints;
using Registry.Store.Log;

namespace Registry.Store.Tests.Checkpoints;

/// <summary>One contract suite, run against every <see cref="ICheckpointStore"/> implementation.</summary>
public abstract class CheckpointStoreContract
{
    protected abstract ICheckpointStore Create(int keep);

    /// <summary>Flips the byte at <paramref name="offset"/> of the stored checkpoint.</summary>
    protected abstract void Damage(ICheckpointStore store, CheckpointInfo info, int offset);

    [Fact]
    public void LoadNewest_Empty_ReturnsNothingAndRejectsNothing()
    {
        var result = Create(3).LoadNewest();
        Assert.Null(result.Checkpoint);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void Write_ThenLoadNewest_ReturnsTheSameCheckpoint()
    {
        var store = Create(3);
        var written = At(5);
        var info = store.Write(written);
        var result = store.LoadNewest();
        Assert.Equal(info.Location, result.Info!.Location);
        Assert.Equal(written.RegistryVersion, result.Checkpoint!.RegistryVersion);
        Assert.Equal(written.Next, result.Checkpoint.Next);
        Assert.Equal(written.CreatedAt, result.Checkpoint.CreatedAt);
        Assert.Equal(written.Payload.ToArray(), result.Checkpoint.Payload.ToArray());
    }

    [Fact]
    public void LoadNewest_PicksTheHighestLogPosition_NotTheLastWritten()
    {
        var store = Create(3);
        store.Write(At(20));
        store.Write(At(10));
        Assert.Equal(20, store.LoadNewest().Checkpoint!.Next.Sequence);
    }

    [Fact]
    public void Write_BeyondKeep_KeepsOnlyTheNewest()
    {
        var store = Create(2);
        foreach (var sequence in new long[] { 1, 2, 3, 4 })
        {
            store.Write(At(sequence));
        }

        Assert.Equal([4L, 3L], store.List().Select(c => c.Next.Sequence));
    }

    [Fact]
    public void LoadNewest_NewestDamaged_FallsBackToThePreviousAndSaysWhy()
    {
        var store = Create(3);
        store.Write(At(1));
        var newest = store.Write(At(2));
        Damage(store, newest, 70);

        var result = store.LoadNewest();
        Assert.Equal(1, result.Checkpoint!.Next.Sequence);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(newest.Location, rejected.Location);
        Assert.Contains("payload checksum mismatch", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadNewest_AllDamaged_ReturnsNothingAndRejectsEach()
    {
        var store = Create(3);
        var first = store.Write(At(1));
        var second = store.Write(At(2));
        Damage(store, first, 0);
        Damage(store, second, 20);

        var result = store.LoadNewest();
        Assert.Null(result.Checkpoint);
        Assert.Equal([second.Location, first.Location], result.Rejected.Select(r => r.Location));
        Assert.Contains("bad magic", result.Rejected[1].Reason, StringComparison.Ordinal);
        Assert.Contains("header checksum mismatch", result.Rejected[0].Reason, StringComparison.Ordinal);
    }

    protected static Checkpoint At(long sequence) =>
        new(sequence / 2, new LogPosition(64 + (sequence * 100), sequence), DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_000 + sequence),
            Encoding.UTF8.GetBytes($"state after {sequence} entries " + new string('s', 40)));
}
