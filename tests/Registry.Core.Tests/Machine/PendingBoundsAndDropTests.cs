using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

/// <summary>
/// Issue 12, stage C, in the state machine: the configured bounds on proposals held (count, bytes, per proposing
/// token), decided when proposing and never on replay; and dropping what can no longer commit as an event that
/// replay re-checks.
/// </summary>
public sealed class PendingBoundsAndDropTests
{
    [Fact]
    public void PendingMaxBytes_CountsCanonicalBytesOfEveryProposalHeld()
    {
        var h = new Harness();
        var first = h.Build(Given.Put(Given.Region("region:a")));
        var limits = new PendingLimits(100, (first.CanonicalBytes.Length * 2) + 10, 100);
        Expect(h.Propose(first, limits: limits));
        Expect(h.Propose(h.Build(Given.Put(Given.Region("region:b"))), limits: limits));
        Assert.Equal(h.State.Pending.Values.Sum(p => p.Proposal.CanonicalBytes.Length), h.State.PendingBytes);

        var busy = h.Propose(h.Build(Given.Put(Given.Region("region:c"))), limits: limits);
        ExpectRejected(busy, RegistryErrorCode.Busy);
        Assert.Equal(new RejectedLimit("limits.pending_max_bytes", limits.MaxBytes), busy.Rejection!.Limit);
        Assert.Contains(limits.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), busy.Rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void PendingMaxPerToken_BoundsOneHolder_NotOthers_AndACommitOrDropGivesRoomBack()
    {
        var h = new Harness();
        var limits = new PendingLimits(100, long.MaxValue, 2);
        var a1 = h.Build([Given.Put(Given.Region("region:a1"))], TimeSpan.FromSeconds(30));
        Expect(h.Propose(a1, "tok-a", limits));
        var a2 = h.Build(Given.Put(Given.Region("region:a2")));
        Expect(h.Propose(a2, "tok-a", limits));
        Assert.Equal(ProposalStatus.Pending, h.State.StatusOf(h.State.Pending[a2.Id], h.Now));

        var a3 = h.Build(Given.Put(Given.Region("region:a3")));
        var busy = h.Propose(a3, "tok-a", limits);
        ExpectRejected(busy, RegistryErrorCode.Busy);
        Assert.Equal(new RejectedLimit("limits.pending_max_per_token", 2), busy.Rejection!.Limit);
        Expect(h.Propose(h.Build(Govern("region:b1")), "tok-b", limits));
        Expect(h.Propose(h.Build(Govern("region:n1")), null, limits));

        // A commit of one of tok-a's proposals gives it room back.
        Expect(h.Approve(a2, Alice));
        Expect(h.Approve(a2, Bob));
        Expect(h.Commit(a2));
        Assert.Equal(1, h.State.PendingByToken["tok-a"]);
        var room = h.Build(Govern("region:a3"));
        Expect(h.Propose(room, "tok-a", limits));
        ExpectRejected(h.Propose(h.Build(Govern("region:a4")), "tok-a", limits), RegistryErrorCode.Busy);

        // So does dropping one that expired.
        h.Now = h.Now.Add(TimeSpan.FromMinutes(1));
        Expect(h.Drop(a1.Id));
        Assert.Equal(1, h.State.PendingByToken["tok-a"]);
        Expect(h.Propose(h.Build(Govern("region:a4")), "tok-a", limits));
    }

    [Fact]
    public void Replay_RebuildsTheTokenCountsFromTheEvents_AndIgnoresTheBounds()
    {
        var h = new Harness();
        Expect(h.Propose(h.Build(Govern("region:a")), "tok-a"));
        Expect(h.Propose(h.Build(Govern("region:b")), "tok-a"));
        Expect(h.Propose(h.Build(Govern("region:c")), "tok-b"));

        // Accepted under the default bounds; replayed (decoded from the log's bytes) whatever any bound says now.
        var replayed = h.Events.Select(e => EventCodec.Decode(EventCodec.Encode(e))).Aggregate(RegistryState.FromGenesis(h.Genesis), (s, e) => s.Apply(e));
        Assert.True(StateAssert.Same(h.State, replayed));
        Assert.Equal(2, replayed.PendingByToken["tok-a"]);
        Assert.Equal(1, replayed.PendingByToken["tok-b"]);
        Assert.Equal("tok-a", replayed.Pending.Values.First(p => p.ProposedBy == "tok-a").ProposedBy);
    }

    [Fact]
    public void DecideDrop_LeavesLiveProposalsAlone_AndDropsExpiredAndStaleOnesSayingWhy()
    {
        var h = new Harness();
        var live = h.Build(Govern("region:live"));
        var expiring = h.Build([Given.Put(Given.Region("region:short"))], TimeSpan.FromSeconds(5));
        var overtaken = h.Build(Govern("region:shared"));
        Expect(h.Propose(live, "tok-a"));
        Expect(h.Propose(expiring, "tok-a"));
        Expect(h.Propose(overtaken, "tok-a"));
        h.CommitChanges(Given.Put(Given.Region("region:shared", "Other")));

        Assert.Equal(DecisionKind.Unchanged, RegistryMachine.DecideDrop(h.State, [live.Id, Digest.Compute("never"u8)], h.Now).Kind);

        h.Now = h.Now.Add(TimeSpan.FromMinutes(1));
        var at = h.Now;
        var dropped = Expect(h.Drop(live.Id, expiring.Id, overtaken.Id, expiring.Id));
        Assert.Equal(new[] { (expiring.Id, ProposalStatus.Expired), (overtaken.Id, ProposalStatus.Stale) }, dropped.Dropped);
        Assert.Equal(at, dropped.DroppedAt);
        Assert.Equal(new[] { live.Id }, h.State.Pending.Keys);
        Assert.Equal(1, h.State.PendingByToken["tok-a"]);
        Assert.Equal(live.CanonicalBytes.Length, h.State.PendingBytes);
        Assert.Equal(new DroppedProposal(overtaken.Id, ProposalStatus.Stale, at, 1), h.State.Dropped[overtaken.Id]);

        // Once dropped, proposing the same document is refused as it was before: it still cannot commit.
        ExpectRejected(h.Propose(expiring), RegistryErrorCode.ProposalExpired);
        ExpectRejected(h.Propose(overtaken), RegistryErrorCode.ScopeConflict);
    }

    [Fact]
    public void ApplyDrop_OfAProposalThatCouldStillCommit_OrIsNotOpen_Throws()
    {
        // Replay re-checks every drop: a log cannot remove a live proposal, or call an expired one stale.
        var h = new Harness();
        var live = h.Build(Govern("region:live"));
        Expect(h.Propose(live));
        Assert.Throws<InvalidOperationException>(() => h.State.Apply(new ProposalsDropped([(live.Id, ProposalStatus.Expired)], h.Now)));
        Assert.Throws<InvalidOperationException>(() => h.State.Apply(new ProposalsDropped([(live.Id, ProposalStatus.Stale)], h.Now)));
        Assert.Throws<InvalidOperationException>(() => h.State.Apply(new ProposalsDropped([(Digest.Compute("x"u8), ProposalStatus.Expired)], h.Now)));
        Assert.Throws<InvalidOperationException>(() => h.State.Apply(new ProposalsDropped([], h.Now)));
        var expired = h.State.Apply(new ProposalsDropped([(live.Id, ProposalStatus.Expired)], live.ExpiresAt));
        Assert.Equal(ProposalStatus.Expired, expired.Dropped[live.Id].Because);
    }

    [Fact]
    public void EventCodec_ProposedByAndProposalsDropped_RoundTripCanonically_AndOldEventsWithoutProposedByDecode()
    {
        var h = new Harness();
        var expiring = h.Build([Given.Put(Given.Region("region:short"))], TimeSpan.FromSeconds(5));
        Expect(h.Propose(expiring, "ci-bot"));
        h.Now = h.Now.Add(TimeSpan.FromMinutes(1));
        var at = h.Now;
        Expect(h.Drop(expiring.Id));

        var accepted = EventCodec.Encode(h.Events[0]);
        Assert.Contains("\"proposed_by\":\"ci-bot\",\"state_root\"", Given.Text(accepted), StringComparison.Ordinal);
        Assert.Equal("ci-bot", Assert.IsType<ProposalAccepted>(EventCodec.Decode(accepted)).ProposedBy);

        var drop = EventCodec.Encode(h.Events[1]);
        Assert.Equal(
            $$"""{"dropped":[{"because":"expired","proposal_id":"{{expiring.Id}}"}],"dropped_at":"{{at}}","type":"proposals_dropped"}""",
            Given.Text(drop));
        Assert.Equal(drop, EventCodec.Encode(EventCodec.Decode(drop)));

        var old = EventCodec.Encode(new ProposalAccepted(expiring, Digest.Zero, h.Now));
        Assert.DoesNotContain("proposed_by", Given.Text(old), StringComparison.Ordinal);
        Assert.Null(Assert.IsType<ProposalAccepted>(EventCodec.Decode(old)).ProposedBy);

        Assert.ThrowsAny<FormatException>(() => EventCodec.Decode(Given.Utf8(Given.Text(drop).Replace("expired", "pending", StringComparison.Ordinal))));
    }

    private static Change[] Govern(string regionId) => [Given.Put(Given.Region(regionId))];
}
