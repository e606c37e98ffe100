using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.State;

/// <summary>States are immutable versions: Apply returns a new state and leaves every older one as it was.</summary>
public sealed class RegistryStateTests
{
    [Fact]
    public void Apply_LaterEvents_LeaveOlderStatesUnchanged()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Node("node:a", "region:eu")));
        var v1 = h.State;
        var v1Snapshot = StateSnapshotCodec.ToArray(v1);
        var v1Root = v1.Descriptors.Root;
        var v1Ids = v1.Descriptors.Select(d => d.Id).ToList();

        h.CommitChanges(Given.Put(Given.Node("node:a", "region:eu", "10.9.9.9:1")), Given.Put(Given.Region("region:us")));
        var open = h.Build(Given.Delete("node:a"));
        Expect(h.Propose(open));
        Expect(h.Approve(open, Alice));
        h.CommitChanges([new SetSignersChange(TestKeys.Set(2, 1, Alice, Bob))], Alice, Bob);

        Assert.Equal(1, v1.Version);
        Assert.Equal(v1Root, v1.Descriptors.Root);
        Assert.Equal(v1Ids, v1.Descriptors.Select(d => d.Id));
        Assert.True(v1.Descriptors.TryGet("node:a", out var a));
        Assert.Contains("10.0.0.1:7000", Given.Text(a.Attrs), StringComparison.Ordinal);
        Assert.False(v1.Descriptors.TryGet("region:us", out _));
        Assert.Empty(v1.Pending);
        Assert.Equal(1, v1.SignerSet.Version);
        Assert.Equal(v1Snapshot, StateSnapshotCodec.ToArray(v1));
        Assert.Equal(3, h.State.Version);
    }

    [Fact]
    public void Apply_Approval_SharesTheDescriptorTreeAndSignerSet()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")));
        var proposal = h.Build(Given.Put(Given.Region("region:us")));
        Expect(h.Propose(proposal));
        var before = h.State;

        Expect(h.Approve(proposal, Carol));

        Assert.NotSame(before, h.State);
        Assert.Same(before.Descriptors, h.State.Descriptors);
        Assert.Same(before.SignerSet, h.State.SignerSet);
        Assert.Same(before.Head, h.State.Head);
        Assert.Same(before.CommittedProposals, h.State.CommittedProposals);
        Assert.Empty(before.Pending[proposal.Id].Approvals);
        Assert.Single(h.State.Pending[proposal.Id].Approvals);
    }

    [Fact]
    public void Apply_CommitDecidedOnOneState_RecomputesWhenAppliedToAnother()
    {
        // Committed carries a precomputed transition for the state it was decided on; replay applies the
        // same event to an equal but distinct state object, which must give the same result.
        var h = new Harness();
        var proposal = h.Build(Given.Put(Given.Region("region:eu")));
        Expect(h.Propose(proposal));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));
        var committed = Expect(RegistryMachine.DecideCommit(h.State, proposal.Id, h.Now));
        var replica = h.Events.Aggregate(RegistryState.FromGenesis(h.Genesis), (s, e) => s.Apply(e));

        StateAssert.Equal(h.State.Apply(committed), replica.Apply(committed));
        StateAssert.Equal(h.State.Apply(committed), replica.Apply(new Committed(committed.Record)));
    }

    [Fact]
    public void Apply_CommitThatDoesNotFollowHead_Throws()
    {
        var h = new Harness();
        var record = h.CommitChanges(Given.Put(Given.Region("region:eu")));
        Assert.Throws<InvalidOperationException>(() => h.State.Apply(new Committed(record)));
        Assert.Throws<InvalidOperationException>(() => RegistryState.FromGenesis(h.Genesis).Apply(h.Events[^1]).Apply(h.Events[^1]));
    }

    [Fact]
    public void Apply_ApprovalForProposalNotOpen_Throws()
    {
        var h = new Harness();
        var id = Digest.Compute("x"u8);
        Assert.Throws<InvalidOperationException>(() => h.State.Apply(new ApprovalAccepted(id, Approval.Sign("alice", TestKeys.Key(1), id))));
    }

    [Fact]
    public void Apply_CommitAfterExpiryOfOthers_KeepsThemExpired_UntilADropEvent()
    {
        // Dropping is the writer's decision (retention), recorded as its own event; a commit never drops anything.
        var h = new Harness();
        var shortLived = h.Build([Given.Put(Given.Region("region:short"))], TimeSpan.FromSeconds(5));
        Expect(h.Propose(shortLived));
        h.Now = h.Now.Add(TimeSpan.FromMinutes(1));
        h.CommitChanges(Given.Put(Given.Region("region:eu")));
        Assert.Equal(ProposalStatus.Expired, h.State.StatusOf(h.State.Pending[shortLived.Id], h.Now));
        Assert.Empty(h.State.Dropped);
    }
}
