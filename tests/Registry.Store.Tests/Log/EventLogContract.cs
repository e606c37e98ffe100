using System.Text;
using Registry.Store.Log;

namespace Registry.Store.Tests.Log;

/// <summary>One contract suite, run against every <see cref="IEventLog"/> implementation.</summary>
public abstract class EventLogContract
{
    protected abstract Task<IEventLog> OpenAsync();

    [Fact]
    public async Task Append_Sequential_SequenceRisesByOneAndAddressGrows()
    {
        await using var log = await OpenAsync();
        var first = log.Append(Bytes("a"));
        var second = log.Append(Bytes("bb"));
        Assert.Equal(first.Sequence + 1, second.Sequence);
        Assert.True(second.Address > first.Address);
        Assert.Equal(second.Sequence + 1, log.WrittenTail.Sequence);
    }

    [Fact]
    public async Task WaitForDurable_AfterAppend_CoversTheEntry()
    {
        await using var log = await OpenAsync();
        var position = log.Append(Bytes("x"));
        var durable = await log.WaitForDurableAsync(position);
        Assert.True(durable.Covers(position));
        Assert.True(log.Durable.Covers(position));
        Assert.Equal(position.Sequence + 1, durable.EntryCount);
    }

    [Fact]
    public async Task WaitForDurable_NeverWrittenPosition_Throws()
    {
        await using var log = await OpenAsync();
        var position = log.Append(Bytes("x"));
        await Assert.ThrowsAsync<ArgumentException>(
            async () => await log.WaitForDurableAsync(position with { Sequence = position.Sequence + 5, Address = position.Address + 4096 }));
    }

    [Fact]
    public async Task Read_FromOrigin_ReturnsEveryDurableEntryInOrder()
    {
        await using var log = await OpenAsync();
        var payloads = Enumerable.Range(0, 100).Select(i => Bytes($"payload-{i}-{new string('z', i)}")).ToArray();
        LogPosition last = default;
        foreach (var p in payloads)
        {
            last = log.Append(p);
        }

        await log.WaitForDurableAsync(last);
        var read = log.Read(LogPosition.Origin).ToArray();
        Assert.Equal(payloads.Length, read.Length);
        Assert.Equal(payloads, read.Select(e => e.Payload.ToArray()));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), read.Select(e => e.Position.Sequence));
    }

    [Fact]
    public async Task Read_FromAnEntryPosition_ReturnsThatEntryAndTheRest()
    {
        await using var log = await OpenAsync();
        var positions = Enumerable.Range(0, 10).Select(i => log.Append(Bytes($"e{i}"))).ToArray();
        await log.WaitForDurableAsync(positions[^1]);
        var read = log.Read(positions[6]).ToArray();
        Assert.Equal(["e6", "e7", "e8", "e9"], read.Select(e => Encoding.UTF8.GetString(e.Payload.Span)));
        Assert.Equal(positions[6].Address, read[0].Position.Address);
    }

    [Fact]
    public async Task Read_FromDurableTail_ReturnsNothing()
    {
        await using var log = await OpenAsync();
        var position = log.Append(Bytes("only"));
        var durable = await log.WaitForDurableAsync(position);
        Assert.Empty(log.Read(new LogPosition(durable.Address, durable.EntryCount)));
    }

    [Fact]
    public async Task EmptyLog_HasNoDurableEntries_AndReadsNothing()
    {
        await using var log = await OpenAsync();
        Assert.Equal(0, log.Durable.EntryCount);
        Assert.Empty(log.Read(LogPosition.Origin));
        Assert.False(log.Recovery.Existed);
        Assert.Null(log.Recovery.TornTail);
    }

    [Fact]
    public async Task ConcurrentWriters_EveryAcknowledgedEntryIsReadBackOnce()
    {
        await using var log = await OpenAsync();
        const int writers = 16;
        const int perWriter = 25;
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var position = log.Append(Bytes($"{w}:{i}"));
                Assert.True((await log.WaitForDurableAsync(position)).Covers(position));
            }
        }));
        await Task.WhenAll(tasks);

        var read = log.Read(LogPosition.Origin).Select(e => Encoding.UTF8.GetString(e.Payload.Span)).ToArray();
        Assert.Equal(writers * perWriter, read.Length);
        Assert.Equal(writers * perWriter, read.Distinct().Count());
        for (var w = 0; w < writers; w++)
        {
            // Each writer's entries appear in the order it wrote them.
            var mine = read.Where(s => s.StartsWith($"{w}:", StringComparison.Ordinal)).Select(s => int.Parse(s.AsSpan(s.IndexOf(':') + 1))).ToArray();
            Assert.Equal(Enumerable.Range(0, perWriter), mine);
        }
    }

    [Fact]
    public async Task Append_AfterDispose_ThrowsClosed()
    {
        var log = await OpenAsync();
        await log.DisposeAsync();
        var error = Assert.Throws<StorageWriteException>(() => log.Append(Bytes("late")));
        Assert.Equal(StorageWriteFailure.Closed, error.Failure);
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
