using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Registry.Store.Faults;
using Registry.Store.Log;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Log;

/// <summary>Failing, full and slow devices, injected through <see cref="StorageFaultInjector"/> at run time.</summary>
public sealed class FasterEventLogFaultTests : IDisposable
{
    private readonly TempDirectory _dir = new("faster-faults");
    private readonly StorageFaultInjector _faults = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(StorageWriteFailure.DiskFull)]
    [InlineData(StorageWriteFailure.IoError)]
    public async Task FailingWrites_FailTheWaiterWithTheTypedError_AndTheDurableTailStays(StorageWriteFailure failure)
    {
        await using var log = await OpenAsync();
        var kept = log.Append(Bytes("kept"));
        var before = await log.WaitForDurableAsync(kept);

        _faults.FailWrites(failure);
        var doomed = log.Append(Bytes("doomed"));
        var error = await Assert.ThrowsAsync<StorageWriteException>(async () => await log.WaitForDurableAsync(doomed));
        Assert.Equal(failure, error.Failure);
        Assert.Equal(before, log.Durable);
        Assert.True(log.IsFaulted);
        Assert.True(_faults.FailedWrites > 0);

        // Reads of what is durable keep working while writes fail.
        Assert.Equal(["kept"], ReadAll(log));
    }

    [Fact]
    public async Task AfterTheFaultClears_WritesResumeWithoutRestart_AndTheFailedEntryIsGone()
    {
        await using (var log = await OpenAsync())
        {
            await log.WaitForDurableAsync(log.Append(Bytes("one")));
            _faults.FailWrites(StorageWriteFailure.DiskFull);
            var doomed = log.Append(Bytes("lost"));
            await Assert.ThrowsAsync<StorageWriteException>(async () => await log.WaitForDurableAsync(doomed));

            // Still failing: the next attempt fails too, without advancing anything.
            var again = log.Append(Bytes("lost too"));
            await Assert.ThrowsAsync<StorageWriteException>(async () => await log.WaitForDurableAsync(again));
            Assert.Equal(1, log.Durable.EntryCount);

            _faults.Clear();
            var two = log.Append(Bytes("two"));
            Assert.Equal(1, two.Sequence);
            await log.WaitForDurableAsync(two);
            Assert.Equal(["one", "two"], ReadAll(log));
            Assert.True(log.Statistics.Reopens >= 1);

            // A stale position from before the fault is never reported durable.
            await Assert.ThrowsAsync<StorageWriteException>(async () => await log.WaitForDurableAsync(doomed));
        }

        await using var reopened = await OpenAsync();
        Assert.Null(reopened.Recovery.TornTail);
        Assert.Equal(["one", "two"], ReadAll(reopened));
    }

    [Fact]
    public async Task FaultUnderConcurrentLoad_TheLogHoldsExactlyTheAcknowledgedEntries()
    {
        var acknowledged = new ConcurrentBag<string>();
        await using (var log = await OpenAsync())
        {
            using var halfway = new CountdownEvent(200);
            var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (var i = 0; i < 60; i++)
                {
                    var text = $"{w}:{i}";
                    try
                    {
                        var position = log.Append(Bytes(text));
                        await log.WaitForDurableAsync(position);
                        acknowledged.Add(text);
                    }
                    catch (StorageWriteException)
                    {
                        // Expected while the fault is on: the entry is not acknowledged.
                    }

                    if (!halfway.IsSet)
                    {
                        halfway.Signal();
                    }
                }
            })).ToArray();

            Assert.True(halfway.Wait(TimeSpan.FromSeconds(60)));
            _faults.FailWrites(StorageWriteFailure.IoError);
            await Task.WhenAny(Task.WhenAll(writers), WaitUntilAsync(() => _faults.FailedWrites >= 3));
            _faults.Clear();
            await Task.WhenAll(writers);
            Assert.Equal(acknowledged.Order(StringComparer.Ordinal), ReadAll(log).Order(StringComparer.Ordinal));
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), ReadAll(reopened).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SlowWrites_DelayDurability_AndClearAtRunTime()
    {
        await using var log = await OpenAsync();
        await log.WaitForDurableAsync(log.Append(Bytes("warm-up")));

        var latency = TimeSpan.FromMilliseconds(150);
        _faults.DelayWrites(latency);
        var watch = Stopwatch.StartNew();
        await log.WaitForDurableAsync(log.Append(Bytes("slow")));
        Assert.True(watch.Elapsed >= latency, $"durable after {watch.Elapsed}, injected {latency}");
        Assert.True(_faults.DelayedWrites > 0);

        _faults.DelayWrites(TimeSpan.Zero);
        var delayedBefore = _faults.DelayedWrites;
        await log.WaitForDurableAsync(log.Append(Bytes("fast")));
        Assert.Equal(delayedBefore, _faults.DelayedWrites);
        Assert.Equal(["warm-up", "slow", "fast"], ReadAll(log));
    }

    [Fact]
    public async Task GroupCommit_64ConcurrentWriters_ShareFlushes()
    {
        await using var log = await OpenAsync();
        await Task.WhenAll(Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await log.WaitForDurableAsync(log.Append(Bytes($"{w}:{i}")));
            }
        })));

        var stats = log.Statistics;
        Assert.Equal(64 * 20, stats.Appends);
        Assert.Equal(64 * 20, log.Durable.EntryCount);
        Assert.True(stats.Flushes * 4 <= stats.Appends, $"{stats.Flushes} flushes for {stats.Appends} appends");
    }

    private async Task<FasterEventLog> OpenAsync() =>
        await FasterEventLog.OpenAsync(new FasterEventLogOptions
        {
            Directory = _dir.Path,
            Faults = _faults,
            PageSizeBits = 14,
            MemorySizeBits = 17,
            AppendStallTimeout = TimeSpan.FromSeconds(5),
        });

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "condition not reached within 30 s");
            await Task.Yield();
        }
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] ReadAll(IEventLog log) =>
        log.Read(LogPosition.Origin).Select(e => Encoding.UTF8.GetString(e.Payload.Span)).ToArray();
}
