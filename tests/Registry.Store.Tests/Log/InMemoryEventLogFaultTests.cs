using System.Diagnostics;
using Registry.Store.Faults;
using Registry.Store.Log;

namespace Registry.Store.Tests.Log;

/// <summary>The in-memory log of amnesia mode honours injected write latency (the chaos drill's storage-latency).</summary>
public sealed class InMemoryEventLogFaultTests
{
    [Fact]
    public async Task WaitForDurable_LatencyInjected_TakesAtLeastThatLong_ClearRestores()
    {
        var faults = new StorageFaultInjector();
        await using var log = new InMemoryEventLog(faults);
        faults.DelayWrites(TimeSpan.FromMilliseconds(200));
        var started = Stopwatch.GetTimestamp();
        var durable = await log.WaitForDurableAsync(log.Append([1, 2, 3]));
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, durable.EntryCount);
        Assert.Equal(1, faults.DelayedWrites);

        faults.Clear();
        var task = log.WaitForDurableAsync(log.Append([4]));
        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(2, (await task).EntryCount);
        Assert.Equal(1, faults.DelayedWrites);
    }

    [Fact]
    public async Task AmnesiaStore_WithInjector_DelaysAppends()
    {
        var faults = new StorageFaultInjector();
        using var chain = new Support.ChainBuilder();
        await using var store = await RegistryStore.OpenAsync(new RegistryStoreOptions { Amnesia = true, Faults = faults }, chain.Genesis);
        faults.DelayWrites(TimeSpan.FromMilliseconds(150));
        var started = Stopwatch.GetTimestamp();
        await store.AppendAsync(chain.Write(1, 1));
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(150));
        Assert.True(faults.DelayedWrites >= 1);
    }
}
