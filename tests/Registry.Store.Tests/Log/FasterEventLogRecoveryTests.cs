using System.Text;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Log;

/// <summary>Re-opening a FasterEventLog: what survives, and how damage on disk is reported.</summary>
public sealed class FasterEventLogRecoveryTests : IDisposable
{
    // 4 KiB pages, so a few dozen entries span several pages and the older ones are read from disk.
    private const int PageBits = 12;
    private readonly TempDirectory _dir = new("faster-recovery");

    public void Dispose() => _dir.Dispose();

    private string Segment => _dir.Combine("events.log.0");

    [Fact]
    public async Task Reopen_AfterDurableAppends_HasEveryEntryAndContinuesTheSequence()
    {
        var positions = await WriteAsync(40);
        await using (var log = await OpenAsync())
        {
            Assert.True(log.Recovery.Existed);
            Assert.Null(log.Recovery.TornTail);
            Assert.Equal(40, log.Durable.EntryCount);
            Assert.Equal(Payloads(40), ReadAll(log));
            var next = log.Append(Encoding.UTF8.GetBytes("after"));
            Assert.Equal(40, next.Sequence);
            Assert.True(next.Address >= positions[^1].Address);
            await log.WaitForDurableAsync(next);
        }

        await using var again = await OpenAsync();
        Assert.Equal(Payloads(40).Append("after"), ReadAll(again));
    }

    [Fact]
    public async Task Reopen_WithOtherGeometryOptions_UsesTheGeometryRecordedWithTheLog()
    {
        await WriteAsync(30);
        await using var log = await FasterEventLog.OpenAsync(new FasterEventLogOptions { Directory = _dir.Path });
        Assert.Equal(PageBits, log.PageSizeBits);
        Assert.Equal(20, log.SegmentSizeBits);
        Assert.Equal(Payloads(30), ReadAll(log));
    }

    [Fact]
    public async Task Dispose_FlushesEntriesWrittenButNotYetWaitedFor()
    {
        await using (var log = await OpenAsync())
        {
            await log.WaitForDurableAsync(log.Append(Encoding.UTF8.GetBytes("durable")));
            log.Append(Encoding.UTF8.GetBytes("written only"));
            Assert.Equal(1, log.Durable.EntryCount);
            Assert.Equal(2, log.WrittenTail.Sequence);
        }

        await using var again = await OpenAsync();
        Assert.Equal(["durable", "written only"], ReadAll(again));
    }

    [Fact]
    public async Task FlippedByteInLastEntry_IsCutAsTornTail_AndReported()
    {
        var positions = await WriteAsync(40);
        FileSurgery.FlipByte(Segment, positions[^1].Address + 12 + EntryFrame.HeaderSize + 2);

        await using (var log = await OpenAsync())
        {
            var torn = Assert.IsType<TornTail>(log.Recovery.TornTail);
            Assert.Equal(positions[^1].Address, torn.CutAt);
            Assert.Equal(1, torn.EntriesLost);
            Assert.Equal(Segment, torn.File);
            Assert.Contains("checksum", torn.Cause, StringComparison.Ordinal);
            Assert.Equal(39, log.Durable.EntryCount);
            Assert.Equal(Payloads(39), ReadAll(log));
            await log.WaitForDurableAsync(log.Append(Encoding.UTF8.GetBytes("replacement")));
        }

        await using var again = await OpenAsync();
        Assert.Null(again.Recovery.TornTail);
        Assert.Equal(Payloads(39).Append("replacement"), ReadAll(again));
    }

    [Fact]
    public async Task FlippedByteInsideTheTailPage_FollowedByValidEntries_RefusesToOpen()
    {
        var positions = await WriteAsync(40);
        var victim = positions[^4];
        Assert.Equal(victim.Address >> PageBits, positions[^1].Address >> PageBits);
        FileSurgery.FlipByte(Segment, victim.Address + 12 + EntryFrame.HeaderSize + 1);

        var error = await Assert.ThrowsAsync<CorruptStoreException>(OpenAsync);
        Assert.Equal(Segment, error.Path);
        Assert.Equal(victim.Address, error.Position);
        Assert.Contains("inside the log, not a torn tail", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlippedByteInAnOlderPage_OpensButReadingThroughItThrowsNamingFileAndPosition()
    {
        var positions = await WriteAsync(40);
        var victim = positions[3];
        Assert.True(victim.Address >> PageBits < positions[^1].Address >> PageBits);
        FileSurgery.FlipByte(Segment, victim.Address + 12 + EntryFrame.HeaderSize + 1);

        await using var log = await OpenAsync();
        Assert.Null(log.Recovery.TornTail);
        Assert.Equal(Payloads(40).Skip(5), log.Read(positions[5]).Select(e => Encoding.UTF8.GetString(e.Payload.Span)));
        var error = Assert.Throws<CorruptStoreException>(() => log.Read(LogPosition.Origin).ToArray());
        Assert.Equal(Segment, error.Path);
        Assert.Equal(victim.Address, error.Position);
    }

    [Fact]
    public async Task SegmentTruncatedInsideTheTailPage_IsCutAtTheLastWholeEntry()
    {
        var positions = await WriteAsync(40);
        var cutInside = positions[^3];
        FileSurgery.Truncate(Segment, cutInside.Address + 20);

        await using var log = await OpenAsync();
        var torn = Assert.IsType<TornTail>(log.Recovery.TornTail);
        Assert.Equal(cutInside.Address, torn.CutAt);
        Assert.Equal(3, torn.EntriesLost);
        Assert.Equal(Payloads(37), ReadAll(log));
    }

    [Fact]
    public async Task SegmentTruncatedByWholePages_IsCutAtTheLastEntryThatSurvived()
    {
        var positions = await WriteAsync(150);
        var lastPage = positions[^1].Address >> PageBits;
        var keepPages = lastPage - 1;
        Assert.True(keepPages >= 2);
        FileSurgery.Truncate(Segment, keepPages << PageBits);
        var survivors = positions.Count(p => p.Address >> PageBits < keepPages);

        await using var log = await OpenAsync();
        var torn = Assert.IsType<TornTail>(log.Recovery.TornTail);
        Assert.Equal(150 - survivors, torn.EntriesLost);
        Assert.Equal(Payloads(survivors), ReadAll(log));
    }

    [Fact]
    public async Task SegmentTruncatedToNothing_RefusesToOpenAsEmpty()
    {
        await WriteAsync(20);
        FileSurgery.Truncate(Segment, 0);
        var error = await Assert.ThrowsAsync<CorruptStoreException>(OpenAsync);
        Assert.Equal(Segment, error.Path);
        Assert.Contains("no valid entry in the committed log", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingCommitRecordFile_WithSegments_RefusesToOpenAsEmpty()
    {
        await WriteAsync(5);
        File.Delete(_dir.Combine("log.commit"));
        var error = await Assert.ThrowsAsync<CorruptStoreException>(OpenAsync);
        Assert.Equal(_dir.Combine("log.commit"), error.Path);
        Assert.Contains("refusing to open the log as empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSegmentFile_RefusesToOpen()
    {
        await WriteAsync(5);
        File.Delete(Segment);
        var error = await Assert.ThrowsAsync<CorruptStoreException>(OpenAsync);
        Assert.Equal(Segment, error.Path);
    }

    [Fact]
    public async Task NewestCommitRecordDamaged_FallsBackToThePreviousOne_AndReportsIt()
    {
        await WriteAsync(5);
        await using (var log = await OpenAsync())
        {
            await log.WaitForDurableAsync(log.Append(Encoding.UTF8.GetBytes("last batch")));
        }

        FileSurgery.FlipByte(_dir.Combine("log.commit"), NewestSlot() * CommitRecordFormat.SlotSize + 40);
        await using var again = await OpenAsync();
        Assert.Single(again.Recovery.RejectedCommitRecords);
        Assert.Contains("checksum mismatch", again.Recovery.RejectedCommitRecords[0], StringComparison.Ordinal);
        Assert.Equal(Payloads(5), ReadAll(again));
    }

    [Fact]
    public async Task BothCommitRecordsDamaged_RefusesToOpen()
    {
        await WriteAsync(3);
        await using (var log = await OpenAsync())
        {
            await log.WaitForDurableAsync(log.Append(Encoding.UTF8.GetBytes("second commit")));
        }

        FileSurgery.FlipByte(_dir.Combine("log.commit"), 8);
        FileSurgery.FlipByte(_dir.Combine("log.commit"), CommitRecordFormat.SlotSize + 8);
        var error = await Assert.ThrowsAsync<CorruptStoreException>(OpenAsync);
        Assert.Equal(_dir.Combine("log.commit"), error.Path);
        Assert.Contains("no valid commit record", error.Message, StringComparison.Ordinal);
    }

    private int NewestSlot()
    {
        var bytes = File.ReadAllBytes(_dir.Combine("log.commit"));
        var sequences = Enumerable.Range(0, 2).Select(i =>
        {
            Assert.Null(CommitRecordFormat.Decode(bytes.AsSpan(i * CommitRecordFormat.SlotSize, CommitRecordFormat.SlotSize), out var record));
            return record?.WriteSequence ?? 0UL;
        }).ToArray();
        return sequences[0] > sequences[1] ? 0 : 1;
    }

    private async Task<FasterEventLog> OpenAsync() =>
        await FasterEventLog.OpenAsync(new FasterEventLogOptions { Directory = _dir.Path, PageSizeBits = PageBits, MemorySizeBits = 15, SegmentSizeBits = 20 });

    private async Task<LogPosition[]> WriteAsync(int count)
    {
        await using var log = await OpenAsync();
        var positions = Payloads(count).Select(p => log.Append(Encoding.UTF8.GetBytes(p))).ToArray();
        await log.WaitForDurableAsync(positions[^1]);
        return positions;
    }

    private static IEnumerable<string> Payloads(int count) =>
        Enumerable.Range(0, count).Select(i => $"entry {i:D3} " + new string((char)('a' + (i % 26)), 80 + (i % 7)));

    private static string[] ReadAll(IEventLog log) =>
        log.Read(LogPosition.Origin).Select(e => Encoding.UTF8.GetString(e.Payload.Span)).ToArray();
}
