using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Registry.Api.Bus;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Registry.Api.WritePlane;
using Registry.Configuration;
using Registry.Core.State;

namespace Registry.Api.Tests.WritePlaneUnit;

/// <summary>
/// The sweep timer of the write plane, on a clock whose timers the test fires, with the loop not running so the queue
/// can be read. The writer starts with the host, before recovery has published a HEAD, and loading a large checkpoint
/// takes longer than one sweep interval: a sweep decided on no state failed its batch with an error in the log.
/// </summary>
public sealed class SweepTimerTests
{
    [Fact]
    public async Task SweepTimer_QueuesNothingBeforeRecoveryPublishedAHead_AndOneSweepPerTickAfter()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var metrics = new RegistryMetrics();
        var view = new RegistryView();
        await using var storage = new RegistryStoreStorage(true, string.Empty, new StorageOptions(), time);
        var writer = new Registry.Api.WritePlane.WritePlane(
            1024, storage, view, new VersionHistory(storage, 1024, 16), new CommitFeed(metrics), new RegistryBus(metrics, time),
            metrics, time, NullLogger.Instance, new ProposalLimits(new LimitsOptions()), TimeSpan.FromSeconds(1));
        writer.StartSweeping();

        for (var tick = 0; tick < 5; tick++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(0, writer.Queued);

        view.Publish(RegistryState.FromGenesis(WritePlaneRig.Genesis));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, writer.Queued);

        await writer.StopAsync();
    }
}
