using Registry.Api.WritePlane;
using Registry.Configuration;
using Registry.Core;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;
using Registry.Testing;

namespace Registry.Api.Tests.WritePlaneUnit;

/// <summary>
/// The write plane itself, in process over real storage (issue 12, stage C): group commit, a storage fault before
/// durability, a fault after it (the plane fails closed), the order in which a durable batch is published, and the
/// bounds and retention of proposals held.
/// </summary>
public sealed class WritePlaneTests
{
    [Fact]
    public async Task Batching_ManyConcurrentRequests_ShareOneDurableAppend_AndEachGetsItsOwnVersion()
    {
        await using var rig = await WritePlaneRig.OpenAsync(start: false);
        var requests = Enumerable.Range(0, 64).Select(i => WritePlaneRig.Submit(rig.Build(ids: $"region:r{i:00}"))).ToArray();
        Parallel.ForEach(requests, request => Assert.True(rig.Writer.TryEnqueue(request)));

        rig.Writer.Start();
        var outcomes = await Task.WhenAll(requests.Select(r => r.Completion.Task.WaitAsync(TimeSpan.FromSeconds(60))));

        Assert.All(outcomes, o => Assert.Equal(DecisionKind.Accepted, o.Kind));
        Assert.Equal(Enumerable.Range(1, 64).Select(v => (long)v), outcomes.Select(o => ((Committed)o.Event!).Record.Version).Order());
        Assert.Equal(1, rig.Storage.Appends);
        Assert.Equal(64, rig.Storage.Events);
        Assert.Equal(64, rig.State.Version);
        for (var v = 1; v <= 64; v++)
        {
            Assert.Equal(v, rig.Feed.TryGetFrame(v)?.Version);
            Assert.True(rig.History.InMemory(v), $"version {v} is not in the history");
        }
    }

    [Fact]
    public async Task StorageFault_AppendFails_RequestsGetNotReady_NothingIsPublished_AndWritesResumeWhenTheStorageDoes()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-wp-fault-").FullName;
        await using var rig = await WritePlaneRig.OpenAsync(dataDir);
        var proposal = rig.Build(ids: "region:eu");

        rig.Inner.Faults.FailWrites(StorageWriteFailure.IoError);
        var refused = await rig.SendAsync(WritePlaneRig.Submit(proposal));

        Assert.Equal(DecisionKind.Rejected, refused.Kind);
        Assert.Equal(RegistryErrorCode.NotReady, refused.Rejection!.Code);
        Assert.Contains("Storage is not writable", refused.Rejection.Detail, StringComparison.Ordinal);
        Assert.Equal(0, rig.State.Version);
        Assert.Null(rig.Feed.TryGetFrame(1));
        Assert.False(rig.History.InMemory(1));
        Assert.Null(rig.Writer.HaltReason);
        Assert.DoesNotContain("write_plane", rig.Readiness.Missing(forWrites: true));

        // The storage layer says when it can write again; the write plane was never halted, so writes simply resume.
        var writable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        rig.Storage.WritabilityChanged += (_, change) =>
        {
            if (change.Writable)
            {
                writable.TrySetResult();
            }
        };
        rig.Inner.Faults.Clear();
        if (!rig.Storage.Writable)
        {
            await writable.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var committed = await rig.SendAsync(WritePlaneRig.Submit(proposal));
        Assert.Equal(DecisionKind.Accepted, committed.Kind);
        Assert.Equal(1, rig.State.Version);
        Assert.True(rig.Readiness.WriteReady);
    }

    [Fact]
    public async Task FaultAfterTheDurableAppend_StopsTheWritePlane_WriteReadyFalse_AndLaterWritesAnswerNotReadyUndecided()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-wp-halt-").FullName;
        var region = WritePlaneRig.Region("region:eu");
        await using (var rig = await WritePlaneRig.OpenAsync(dataDir))
        {
            rig.Storage.FailOnPublished = true;
            var halted = await rig.SendAsync(WritePlaneRig.Submit(rig.Build(ids: "region:eu")));

            Assert.Equal(RegistryErrorCode.NotReady, halted.Rejection!.Code);
            Assert.Contains("write plane stopped", halted.Rejection.Detail, StringComparison.Ordinal);
            Assert.Contains("injected", rig.Writer.HaltReason, StringComparison.Ordinal);
            Assert.False(rig.Readiness.WriteReady);
            Assert.True(rig.Readiness.Ready);
            Assert.Contains("write_plane", rig.Readiness.Missing(forWrites: true));
            Assert.False(rig.Storage.Writable);

            // The next write is not decided at all: refused at the gate, and by the writer itself if it gets queued.
            var next = rig.Build(ids: "region:us");
            var (outcome, problem) = await rig.Gate.SubmitAsync(WriteRequest.Propose(next, rig.State, "test"), CancellationToken.None);
            Assert.Null(outcome);
            Assert.Equal(RegistryErrorCode.NotReady, problem!.Code);
            Assert.Contains("restarted", problem.Detail, StringComparison.Ordinal);
            var queued = await rig.ProposeAsync(next);
            Assert.Equal(RegistryErrorCode.NotReady, queued.Rejection!.Code);
            Assert.False(rig.State.Pending.ContainsKey(next.Id));
            Assert.Equal(1, rig.Storage.Appends);
        }

        // The batch was durable before the fault: a restart recovers it from the log.
        await using var restarted = await WritePlaneRig.OpenAsync(dataDir);
        Assert.Equal(1, restarted.State.Version);
        Assert.True(restarted.State.Descriptors.TryGet(region.Id, out _));
        Assert.True(restarted.Readiness.WriteReady);
    }

    [Fact]
    public async Task PublishingAVersionThatIsNotExactlyTheNext_IsAnError_ThatStopsTheWritePlane_BeforeTheViewMoves()
    {
        await using var rig = await WritePlaneRig.OpenAsync();

        // Version 1 reaches the history by another way than the writer: the writer's own version 1 is then not next.
        var elsewhere = rig.Build(ids: "region:elsewhere");
        var decided = RegistryMachine.DecideSubmit(rig.State, elsewhere, [WritePlaneRig.Sign(elsewhere, 1), WritePlaneRig.Sign(elsewhere, 2)], rig.Now);
        rig.History.Add(rig.State.Apply(decided.Event!));

        var outcome = await rig.SendAsync(WritePlaneRig.Submit(rig.Build(ids: "region:eu")));

        Assert.Equal(RegistryErrorCode.NotReady, outcome.Rejection!.Code);
        Assert.Contains("versions must rise by exactly one", rig.Writer.HaltReason, StringComparison.Ordinal);
        Assert.Equal(0, rig.State.Version);
        Assert.Null(rig.Feed.TryGetFrame(1));
        Assert.False(rig.Readiness.WriteReady);
    }

    [Fact]
    public async Task PublishOrder_ASubscriberToldAboutVersionV_CanAlwaysReadV()
    {
        await using var rig = await WritePlaneRig.OpenAsync(start: false);
        using var subscription = rig.Feed.Subscribe(4096);
        var requests = Enumerable.Range(0, 200).Select(i => WritePlaneRig.Submit(rig.Build(ids: $"region:o{i:000}"))).ToArray();
        foreach (var request in requests)
        {
            Assert.True(rig.Writer.TryEnqueue(request));
        }

        // A reader polling on its own thread sees each frame the moment the writer offers it, and checks what the read
        // plane serves right then: publishing the view after the feed would let it see a version the view lacks.
        var behind = new List<string>();
        var reader = Task.Factory.StartNew(
            () =>
            {
                long seen = 0;
                while (seen < requests.Length)
                {
                    if (!subscription.Reader.TryRead(out var frame))
                    {
                        Thread.SpinWait(8);
                        continue;
                    }

                    seen = frame.Version;
                    var published = rig.View.Current.State.Version;
                    if (published < frame.Version || !rig.History.InMemory(frame.Version))
                    {
                        behind.Add($"told about {frame.Version} while the view was at {published}");
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        rig.Writer.Start();
        await Task.WhenAll(requests.Select(r => r.Completion.Task));
        await reader.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Empty(behind);
        Assert.Equal(requests.Length, rig.State.Version);
    }

    [Fact]
    public async Task PerTokenBound_RefusesTheHolderPastIt_NamingTheBound_OthersGoOn_AndTheCountSurvivesARestart()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-wp-token-").FullName;
        var limits = new LimitsOptions { PendingMaxPerToken = 2 };
        Proposal third;
        await using (var rig = await WritePlaneRig.OpenAsync(dataDir, limits))
        {
            Assert.Equal(DecisionKind.Accepted, (await rig.ProposeAsync(rig.Build(ids: "region:a1"), "tok-a")).Kind);
            Assert.Equal(DecisionKind.Accepted, (await rig.ProposeAsync(rig.Build(ids: "region:a2"), "tok-a")).Kind);
            third = rig.Build(ids: "region:a3");
            var busy = await rig.ProposeAsync(third, "tok-a");
            Assert.Equal(RegistryErrorCode.Busy, busy.Rejection!.Code);
            Assert.Equal(new RejectedLimit("limits.pending_max_per_token", 2), busy.Rejection.Limit);
            Assert.Contains("tok-a", busy.Rejection.Detail, StringComparison.Ordinal);

            // Another token is not held back by the first one's share.
            Assert.Equal(DecisionKind.Accepted, (await rig.ProposeAsync(rig.Build(ids: "region:b1"), "tok-b")).Kind);

            // Through the gate, the problem names the bound for the client.
            var (_, problem) = await rig.Gate.SubmitAsync(WriteRequest.Propose(third, rig.State, "test", "tok-a"), CancellationToken.None);
            Assert.Equal(RegistryErrorCode.Busy, problem!.Code);
            Assert.Equal("limits.pending_max_per_token", problem.Limit!.Key);
            Assert.Equal(2, rig.State.PendingByToken["tok-a"]);
        }

        // The proposing token is in the log: after a restart the holder is still at its bound.
        await using var restarted = await WritePlaneRig.OpenAsync(dataDir, limits);
        Assert.Equal(2, restarted.State.PendingByToken["tok-a"]);
        Assert.Equal(new RejectedLimit("limits.pending_max_per_token", 2), (await restarted.ProposeAsync(third, "tok-a")).Rejection!.Limit);
    }

    [Fact]
    public async Task Retention_ExpiredAndStaleProposals_AreDroppedOnlyOnceItHasPassed_AndStayDroppedAfterARestart()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-wp-drop-").FullName;
        var limits = new LimitsOptions { ProposalRetentionSeconds = 600 };
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        Proposal shortLived;
        Proposal overtaken;
        await using (var rig = await WritePlaneRig.OpenAsync(dataDir, limits, clock: clock))
        {
            shortLived = rig.Build(TimeSpan.FromMinutes(1), ids: "region:short");
            overtaken = rig.Build(ids: "region:shared");
            Assert.Equal(DecisionKind.Accepted, (await rig.ProposeAsync(shortLived)).Kind);
            Assert.Equal(DecisionKind.Accepted, (await rig.ProposeAsync(overtaken)).Kind);
            Assert.Equal(DecisionKind.Accepted, (await rig.SendAsync(WritePlaneRig.Submit(rig.Build(TimeSpan.FromHours(2), ids: "region:shared")))).Kind);

            // Expired a minute ago, stale since the commit: both still held and shown as such, nothing appended.
            clock.Advance(TimeSpan.FromMinutes(2));
            var appends = rig.Storage.Appends;
            Assert.Equal(DecisionKind.Unchanged, (await rig.SweepAsync()).Kind);
            Assert.Equal(appends, rig.Storage.Appends);
            Assert.Equal(ProposalStatus.Expired, rig.State.StatusOf(rig.State.Pending[shortLived.Id], rig.Now));
            Assert.Equal(ProposalStatus.Stale, rig.State.StatusOf(rig.State.Pending[overtaken.Id], rig.Now));

            // 600 s after its expiry the expired one goes; the stale one was first seen stale at the last sweep.
            clock.Advance(TimeSpan.FromSeconds(540));
            var first = await rig.SweepAsync();
            var dropped = Assert.IsType<ProposalsDropped>(first.Event);
            Assert.Equal(new[] { (shortLived.Id, ProposalStatus.Expired) }, dropped.Dropped);
            Assert.False(rig.State.Pending.ContainsKey(shortLived.Id));
            Assert.Equal(ProposalStatus.Expired, rig.State.Dropped[shortLived.Id].Because);
            Assert.True(rig.State.Pending.ContainsKey(overtaken.Id));

            clock.Advance(TimeSpan.FromSeconds(60));
            var second = Assert.IsType<ProposalsDropped>((await rig.SweepAsync()).Event);
            Assert.Equal(new[] { (overtaken.Id, ProposalStatus.Stale) }, second.Dropped);
            Assert.Empty(rig.State.Pending);
            Assert.Empty(rig.State.PendingByToken);
            Assert.Equal(0, rig.State.PendingBytes);

            // Dropped is not "never existed": proposing the same document again is refused as before.
            Assert.Equal(RegistryErrorCode.ProposalExpired, (await rig.ProposeAsync(shortLived)).Rejection!.Code);
        }

        // The drops are events in the log: a restart, whatever its configuration, has them with the same times.
        await using var restarted = await WritePlaneRig.OpenAsync(dataDir, new LimitsOptions { ProposalRetentionSeconds = 31_536_000 }, clock: clock);
        Assert.Equal(ProposalStatus.Expired, restarted.State.Dropped[shortLived.Id].Because);
        Assert.Equal(ProposalStatus.Stale, restarted.State.Dropped[overtaken.Id].Because);
        Assert.Equal(Timestamp.From(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero)).Add(TimeSpan.FromSeconds(120 + 540)), restarted.State.Dropped[shortLived.Id].DroppedAt);
        Assert.Empty(restarted.State.Pending);
    }
}
