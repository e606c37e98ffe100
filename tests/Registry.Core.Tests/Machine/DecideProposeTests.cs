using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

public sealed class DecideProposeTests
{
    [Fact]
    public void DecidePropose_ValidProposal_AcceptedWithTheRootItWouldProduce()
    {
        var h = new Harness();
        var eu = Given.Region("region:eu");
        var node = Given.Node("node:a", "region:eu");
        var proposal = h.Build(Given.Put(eu), Given.Put(node));
        var before = h.State;

        var decision = RegistryMachine.DecidePropose(before, proposal, h.Now);

        var accepted = Expect(decision);
        Assert.Same(proposal, accepted.Proposal);
        Assert.Equal(ReferenceRoot.Of([eu, node]), accepted.StateRoot);
        Assert.Equal(h.Now, accepted.AcceptedAt);
        Assert.Empty(before.Pending);

        var after = before.Apply(accepted);
        Assert.True(after.Pending.ContainsKey(proposal.Id));
        Assert.Equal(ProposalStatus.Pending, after.StatusOf(after.Pending[proposal.Id], h.Now));
        Assert.Equal(0, after.Version);
    }

    [Fact]
    public void DecidePropose_SameProposalAgain_IsUnchanged()
    {
        var h = new Harness();
        var proposal = h.Build(Given.Put(Given.Region("region:eu")));
        Expect(h.Propose(proposal));

        var again = h.Propose(proposal);

        Assert.Equal(DecisionKind.Unchanged, again.Kind);
        Assert.Null(again.Event);
        Assert.Null(again.Rejection);
    }

    [Fact]
    public void DecidePropose_AlreadyCommittedProposal_IsUnchanged()
    {
        var h = new Harness();
        var proposal = h.Build(Given.Put(Given.Region("region:eu")));
        Expect(h.Propose(proposal));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));
        Expect(h.Commit(proposal));

        Assert.Equal(DecisionKind.Unchanged, h.Propose(proposal).Kind);
    }

    [Fact]
    public void DecidePropose_OtherRegistry_IsMalformed()
    {
        var h = new Harness();
        var proposal = new Proposal("other-registry", 0, h.State.HeadHash, 1, null, [Given.Put(Given.Region("r"))], h.Now.Add(TimeSpan.FromHours(1)), string.Empty);
        ExpectRejected(h.Propose(proposal), RegistryErrorCode.Malformed);
    }

    [Fact]
    public void DecidePropose_WrongBaseVersion_IsChainMismatch()
    {
        var h = new Harness();
        var proposal = new Proposal(RegistryId, 1, h.State.HeadHash, 1, null, [Given.Put(Given.Region("r"))], h.Now.Add(TimeSpan.FromHours(1)), string.Empty);
        ExpectRejected(h.Propose(proposal), RegistryErrorCode.ChainMismatch);
    }

    [Fact]
    public void DecidePropose_RightVersionWrongHash_IsChainMismatch()
    {
        var h = new Harness();
        var proposal = new Proposal(RegistryId, 0, Digest.Compute("fork"u8), 1, null, [Given.Put(Given.Region("r"))], h.Now.Add(TimeSpan.FromHours(1)), string.Empty);
        ExpectRejected(h.Propose(proposal), RegistryErrorCode.ChainMismatch);
    }

    [Fact]
    public void DecidePropose_BuiltOnAnOlderHeadDisjointly_IsAcceptedWithTheRootOnItsBase()
    {
        var h = new Harness();
        var late = h.Build(Given.Put(Given.Region("region:b")));
        h.CommitChanges(Given.Put(Given.Region("region:a")));
        var accepted = Expect(h.Propose(late));
        Assert.Equal(StateTree.Empty.Put(Given.Region("region:b")).Root, accepted.StateRoot);
    }

    [Fact]
    public void DecidePropose_BuiltOnAnOlderHeadOverAnIdWrittenSince_IsScopeConflict()
    {
        var h = new Harness();
        var late = h.Build(Given.Put(Given.Node("node:n", "region:a")));
        h.CommitChanges(Given.Put(Given.Region("region:a")));
        ExpectRejected(h.Propose(late), RegistryErrorCode.ScopeConflict);
    }

    [Fact]
    public void DecidePropose_OlderBaseWithoutItsState_Throws()
    {
        var h = new Harness();
        var late = h.Build(Given.Put(Given.Region("region:b")));
        h.CommitChanges(Given.Put(Given.Region("region:a")));
        Assert.Throws<ArgumentException>(() => RegistryMachine.DecidePropose(h.State, late, h.Now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void DecidePropose_ExpiresNowOrEarlier_IsProposalExpired(int seconds)
    {
        var h = new Harness();
        var proposal = h.Build([Given.Put(Given.Region("r"))], TimeSpan.FromSeconds(seconds));
        ExpectRejected(h.Propose(proposal), RegistryErrorCode.ProposalExpired);
    }

    [Fact]
    public void DecidePropose_DeleteOfMissingDescriptor_IsInvalidDescriptor()
    {
        var h = new Harness();
        ExpectRejected(h.Propose(h.Build(Given.Delete("region:none"))), RegistryErrorCode.InvalidDescriptor);
    }

    [Fact]
    public void DecidePropose_TwoSetSignersChanges_IsInvalidDescriptor()
    {
        var h = new Harness();
        var set = TestKeys.Set(2, 1, Alice);
        ExpectRejected(h.Propose(h.Build(new SetSignersChange(set), new SetSignersChange(set))), RegistryErrorCode.InvalidDescriptor);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void DecidePropose_SetSignersVersionNotCurrentPlusOne_IsInvalidDescriptor(long version)
    {
        var h = new Harness();
        ExpectRejected(h.Propose(h.Build(new SetSignersChange(TestKeys.Set(version, 1, Alice)))), RegistryErrorCode.InvalidDescriptor);
    }

    [Fact]
    public void DecidePropose_WhenPendingMaxAreHeld_IsBusyNamingTheBound()
    {
        var h = new Harness();
        var limits = new PendingLimits(3, long.MaxValue, 1000);
        for (var i = 0; i < 3; i++)
        {
            Expect(h.Propose(h.Build([Given.Put(Given.Region("region:r" + i))], TimeSpan.FromHours(1)), limits: limits));
        }

        var one = h.Build(Given.Put(Given.Region("region:more")));
        var busy = RegistryMachine.DecidePropose(h.State, one, h.Now, limits: limits);
        ExpectRejected(busy, RegistryErrorCode.Busy);
        Assert.Equal(new RejectedLimit("limits.pending_max", 3), busy.Rejection!.Limit);

        // The same proposal again is still an idempotent repeat, bound or not.
        Assert.Equal(DecisionKind.Unchanged, RegistryMachine.DecidePropose(h.State, h.State.Pending.Values.First().Proposal, h.Now, limits: limits).Kind);
    }
}
