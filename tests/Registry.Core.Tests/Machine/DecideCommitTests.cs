using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

public sealed class DecideCommitTests
{
    [Fact]
    public void DecideCommit_QuorumReached_WritesRecordForNextVersion()
    {
        var h = new Harness();
        var eu = Given.Region("region:eu");
        var proposal = h.Build(Given.Put(eu));
        var accepted = Expect(h.Propose(proposal));
        Expect(h.Approve(proposal, Carol));
        Expect(h.Approve(proposal, Alice));
        var genesisHash = h.State.HeadHash;

        var record = Expect(h.Commit(proposal)).Record;

        Assert.Equal(1, record.Version);
        Assert.Equal(h.Genesis.Hash, genesisHash);
        Assert.Equal(genesisHash, record.PrevHash);
        Assert.Equal(proposal.Id, record.ProposalId);
        Assert.Equal(accepted.StateRoot, record.StateRoot);
        Assert.Equal(ReferenceRoot.Of([eu]), record.StateRoot);
        Assert.Equal(1, record.SignerSetVersion);
        Assert.Equal(["alice", "carol"], record.Approvals.Select(a => a.SignerId));
        Assert.Equal(record.Hash, h.State.HeadHash);
        Assert.Equal(1, h.State.Version);
        Assert.Equal(record.StateRoot, h.State.Descriptors.Root);
        Assert.Empty(h.State.Pending);
        Assert.Equal(1, h.State.CommittedProposals[proposal.Id]);
    }

    [Fact]
    public void DecideCommit_OneApprovalOfTwoNeeded_IsQuorumFailed()
    {
        var h = new Harness();
        var proposal = h.Build(Given.Put(Given.Region("region:eu")));
        Expect(h.Propose(proposal));
        ExpectRejected(h.Commit(proposal), RegistryErrorCode.QuorumFailed);
        Expect(h.Approve(proposal, Alice));
        ExpectRejected(h.Commit(proposal), RegistryErrorCode.QuorumFailed);
        Assert.Equal(0, h.State.Version);
    }

    [Fact]
    public void DecideCommit_Retry_IsUnchanged()
    {
        var h = new Harness();
        var proposal = h.Build(Given.Put(Given.Region("region:eu")));
        Expect(h.Propose(proposal));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));
        Expect(h.Commit(proposal));
        var head = h.State.HeadHash;

        var retry = h.Commit(proposal);

        Assert.Equal(DecisionKind.Unchanged, retry.Kind);
        Assert.Equal(head, h.State.HeadHash);
        ExpectRejected(h.Approve(proposal, Carol), RegistryErrorCode.NotFound);
    }

    [Fact]
    public void DecideCommit_UnknownProposal_IsNotFound()
    {
        var h = new Harness();
        ExpectRejected(RegistryMachine.DecideCommit(h.State, Digest.Compute("none"u8), h.Now), RegistryErrorCode.NotFound);
    }

    [Fact]
    public void DecideCommit_AfterExpiry_IsProposalExpired()
    {
        var h = new Harness();
        var proposal = h.Build([Given.Put(Given.Region("region:eu"))], TimeSpan.FromMinutes(1));
        Expect(h.Propose(proposal));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));
        h.Now = proposal.ExpiresAt.Add(TimeSpan.FromMilliseconds(1));
        ExpectRejected(h.Commit(proposal), RegistryErrorCode.ProposalExpired);
    }

    [Fact]
    public void DecideCommit_DisjointProposalCommittedFirst_BothCommitOnTheOneBase()
    {
        var h = new Harness();
        var a = h.Build(Given.Put(Given.Region("region:a")));
        var b = h.Build(Given.Put(Given.Region("region:b")));
        foreach (var p in new[] { a, b })
        {
            Expect(h.Propose(p));
            Expect(h.Approve(p, Alice));
            Expect(h.Approve(p, Bob));
        }

        Expect(h.Commit(b));
        var second = Expect(h.Commit(a)).Record;
        Assert.Equal(2, second.Version);
        Assert.Equal(0, second.Proposal.BaseVersion);
        Assert.Equal(ReferenceRoot.Of(h.State.Descriptors), second.StateRoot);
        Assert.Equal(2, h.State.Descriptors.Count);
        Assert.Equal(2, h.State.LastWriters["region:a"]);
        Assert.Equal(1, h.State.LastWriters["region:b"]);
    }

    [Fact]
    public void DecideCommit_SameIdCommittedFirst_IsScopeConflictNamingTheIdAndVersion()
    {
        var h = new Harness();
        var a = h.Build(Given.Put(Given.Region("region:a")));
        var b = h.Build(Given.Put(Given.Region("region:a", "Again")));
        foreach (var p in new[] { a, b })
        {
            Expect(h.Propose(p));
            Expect(h.Approve(p, Alice));
            Expect(h.Approve(p, Bob));
        }

        Expect(h.Commit(a));
        var decision = h.Commit(b);
        ExpectRejected(decision, RegistryErrorCode.ScopeConflict);
        Assert.Equal("'region:a' is in the proposal's scope and was written by version 1, after its base 0.", decision.Rejection!.Detail);
        Assert.Equal(1, h.State.Version);
    }

    [Fact]
    public void DecideCommit_ClockBehindHead_KeepsCommittedAtNonDecreasing()
    {
        var h = new Harness();
        var first = h.CommitChanges(Given.Put(Given.Region("region:a")));
        var proposal = h.Build(Given.Put(Given.Region("region:b")));
        Expect(h.Propose(proposal));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));
        h.Now = first.CommittedAt.Add(TimeSpan.FromSeconds(-30));

        var second = Expect(h.Commit(proposal)).Record;

        Assert.Equal(first.CommittedAt, second.CommittedAt);
    }

    [Fact]
    public void DecideCommit_ManyVersions_LinkEachToThePrevious()
    {
        var h = new Harness();
        var hashes = new List<Digest> { h.Genesis.Hash };
        for (var i = 0; i < 5; i++)
        {
            var record = h.CommitChanges(Given.Put(Given.Region("region:" + i)));
            Assert.Equal(i + 1, record.Version);
            Assert.Equal(hashes[^1], record.PrevHash);
            hashes.Add(record.Hash);
        }

        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }
}
