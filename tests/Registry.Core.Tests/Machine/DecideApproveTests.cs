using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

public sealed class DecideApproveTests
{
    [Fact]
    public void DecideApprove_ValidApprovalBySigner_IsAcceptedAndRecorded()
    {
        var h = new Harness();
        var proposal = Open(h);

        var accepted = Expect(h.Approve(proposal, Bob));

        Assert.Equal(proposal.Id, accepted.ProposalId);
        Assert.Equal("bob", accepted.Approval.SignerId);
        Assert.True(h.State.Pending[proposal.Id].HasApprovalFrom("bob"));
        Assert.Equal(ProposalStatus.Pending, h.State.StatusOf(h.State.Pending[proposal.Id], h.Now));
        Expect(h.Approve(proposal, Alice));
        Assert.Equal(["alice", "bob"], h.State.Pending[proposal.Id].Approvals.Select(a => a.SignerId));
        Assert.Equal(ProposalStatus.Approved, h.State.StatusOf(h.State.Pending[proposal.Id], h.Now));
    }

    [Fact]
    public void DecideApprove_SecondApprovalBySameSigner_IsDuplicateApproval()
    {
        var h = new Harness();
        var proposal = Open(h);
        Expect(h.Approve(proposal, Alice));

        ExpectRejected(h.Approve(proposal, Alice), RegistryErrorCode.DuplicateApproval);
    }

    [Fact]
    public void DecideApprove_SignerOutsideTheSet_IsUnknownSigner()
    {
        var h = new Harness();
        var proposal = Open(h);
        ExpectRejected(h.Approve(proposal, ("mallory", 9)), RegistryErrorCode.UnknownSigner);
    }

    [Fact]
    public void DecideApprove_SignatureByAnotherKey_IsInvalidSig()
    {
        var h = new Harness();
        var proposal = Open(h);
        var forged = Approval.Sign("alice", TestKeys.Key(9), proposal.Id);
        ExpectRejected(h.Approve(proposal.Id, forged), RegistryErrorCode.InvalidSig);
    }

    [Fact]
    public void DecideApprove_SignatureOverAnotherProposal_IsInvalidSig()
    {
        var h = new Harness();
        var proposal = Open(h);
        var replayed = Approval.Sign("alice", TestKeys.Key(Alice.Fill), Digest.Compute("other proposal"u8));
        ExpectRejected(h.Approve(proposal.Id, replayed), RegistryErrorCode.InvalidSig);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(64)]
    public void DecideApprove_GarbageSignature_IsInvalidSig(int length)
    {
        var h = new Harness();
        var proposal = Open(h);
        ExpectRejected(h.Approve(proposal.Id, new Approval("alice", new byte[length])), RegistryErrorCode.InvalidSig);
    }

    [Fact]
    public void DecideApprove_UnknownProposal_IsNotFound()
    {
        var h = new Harness();
        var id = Digest.Compute("nothing"u8);
        ExpectRejected(h.Approve(id, Approval.Sign("alice", TestKeys.Key(1), id)), RegistryErrorCode.NotFound);
    }

    [Fact]
    public void DecideApprove_AfterExpiry_IsProposalExpired()
    {
        var h = new Harness();
        var proposal = h.Build([Given.Put(Given.Region("r"))], TimeSpan.FromMinutes(5));
        Expect(h.Propose(proposal));
        h.Now = proposal.ExpiresAt;
        ExpectRejected(h.Approve(proposal, Alice), RegistryErrorCode.ProposalExpired);
        Assert.Equal(ProposalStatus.Expired, h.State.StatusOf(h.State.Pending[proposal.Id], h.Now));
    }

    [Fact]
    public void DecideApprove_AfterAnUnrelatedCommit_IsAccepted()
    {
        var h = new Harness();
        var first = Open(h, "region:a");
        var second = h.Build(Given.Put(Given.Region("region:b")));
        Expect(h.Propose(second));
        Expect(h.Approve(first, Alice));
        Expect(h.Approve(first, Bob));
        Expect(h.Commit(first));

        Expect(h.Approve(second, Alice));
        Assert.Equal(ProposalStatus.Pending, h.State.StatusOf(h.State.Pending[second.Id], h.Now));
    }

    [Fact]
    public void DecideApprove_AfterACommitThatWroteAnIdInScope_IsScopeConflictAndStale()
    {
        var h = new Harness();
        var first = Open(h, "region:a");
        var second = h.Build(Given.Put(Given.Region("region:a", "Other")));
        Expect(h.Propose(second));
        Expect(h.Approve(first, Alice));
        Expect(h.Approve(first, Bob));
        Expect(h.Commit(first));

        var decision = h.Approve(second, Alice);
        ExpectRejected(decision, RegistryErrorCode.ScopeConflict);
        Assert.Contains("'region:a'", decision.Rejection!.Detail, StringComparison.Ordinal);
        Assert.Contains("version 1", decision.Rejection.Detail, StringComparison.Ordinal);
        Assert.Equal(ProposalStatus.Stale, h.State.StatusOf(h.State.Pending[second.Id], h.Now));
        Assert.Equal(new ProposalConflict(RegistryErrorCode.ScopeConflict, decision.Rejection.Detail, "region:a", 1), h.State.ConflictOf(second));
    }

    [Fact]
    public void DecideApprove_PreVerifiedWithTheSignersKey_SkipsVerification()
    {
        // The writer may verify signatures in parallel before the serialized decision; it then passes the key.
        var h = new Harness();
        var proposal = Open(h);
        var good = Approval.Sign("alice", TestKeys.Key(Alice.Fill), proposal.Id);

        Expect(RegistryMachine.DecideApprove(h.State, proposal.Id, good, h.Now, verifiedWith: TestKeys.Key(Alice.Fill).PublicKey));

        // A key that is not the signer's key does not count as verified: the signature is checked.
        var bad = new Approval("alice", new byte[64]);
        ExpectRejected(RegistryMachine.DecideApprove(h.State, proposal.Id, bad, h.Now, verifiedWith: TestKeys.Key(Bob.Fill).PublicKey), RegistryErrorCode.InvalidSig);
    }

    [Fact]
    public void DecideApprove_NewSetMemberOfSetSignersProposal_IsAccepted()
    {
        var h = new Harness();
        var proposal = h.Build(new SetSignersChange(TestKeys.Set(2, 1, ("dave", 4))));
        Expect(h.Propose(proposal));

        Expect(h.Approve(proposal, ("dave", 4)));
        ExpectRejected(h.Approve(proposal, ("erin", 5)), RegistryErrorCode.UnknownSigner);
    }

    [Fact]
    public void DecideApprove_NewSetMemberOfOrdinaryProposal_IsUnknownSigner()
    {
        var h = new Harness();
        var proposal = Open(h);
        ExpectRejected(h.Approve(proposal, ("dave", 4)), RegistryErrorCode.UnknownSigner);
    }

    private static Proposal Open(Harness h, string region = "region:eu")
    {
        var proposal = h.Build(Given.Put(Given.Region(region)));
        Expect(h.Propose(proposal));
        return proposal;
    }
}
