using System.Collections.Immutable;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

/// <summary>
/// RegistryMachine.Verify re-checks a record against the state before it, as recovery and `ronctl verify` do.
/// Each test forges a record that differs from an honest one in one respect (re-signed where the signature
/// would otherwise give it away) and expects the matching complaint.
/// </summary>
public sealed class VerifyTests
{
    [Fact]
    public void Verify_HonestRecord_IsValidAndGivesTheNextState()
    {
        var (before, record, after) = Honest();
        Assert.Null(RegistryMachine.Verify(before, record, out var next));
        StateAssert.Equal(after, next!);
    }

    [Fact]
    public void Verify_WrongVersion_Fails() =>
        AssertFails(r => Forge(r, version: 2), "expected version 1");

    [Fact]
    public void Verify_WrongPrevHash_Fails() =>
        AssertFails(r => Forge(r, prevHash: Digest.Compute("x"u8)), "prev_hash");

    [Fact]
    public void Verify_ProposalIdNotTheProposalsDigest_Fails()
    {
        var (before, record, _) = Honest();
        var tampered = Given.Text(record.CanonicalBytes).Replace("\"proposal_id\":\"" + record.ProposalId, "\"proposal_id\":\"" + Digest.Zero, StringComparison.Ordinal);
        Assert.Contains("proposal_id", RegistryMachine.Verify(before, CommitRecord.FromCanonicalBytes(Given.Utf8(tampered))), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ProposalForAnotherRegistry_Fails() =>
        AssertFails(r => Resigned(r, new Proposal("elsewhere", 0, r.Proposal.BaseHash, r.Proposal.SignerSetVersion, null, r.Proposal.Changes, r.Proposal.ExpiresAt, string.Empty)), "for registry 'elsewhere'");

    [Fact]
    public void Verify_ProposalOnABaseNotInTheChain_FailsAsChainMismatch() =>
        AssertFails(r => Resigned(r, new Proposal(RegistryId, 0, Digest.Compute("x"u8), r.Proposal.SignerSetVersion, null, r.Proposal.Changes, r.Proposal.ExpiresAt, string.Empty)), "ChainMismatch");

    [Fact]
    public void Verify_ProposalOnABaseAheadOfTheChain_FailsAsChainMismatch() =>
        AssertFails(r => Resigned(r, new Proposal(RegistryId, 1, r.Proposal.BaseHash, r.Proposal.SignerSetVersion, null, r.Proposal.Changes, r.Proposal.ExpiresAt, string.Empty)), "ChainMismatch");

    [Fact]
    public void Verify_ProposalNamingAnotherSignerSet_FailsAsSignerSetChanged() =>
        AssertFails(r => Resigned(r, new Proposal(RegistryId, 0, r.Proposal.BaseHash, 2, null, r.Proposal.Changes, r.Proposal.ExpiresAt, string.Empty)), "SignerSetChanged");

    [Theory]
    [InlineData("node:a")]
    [InlineData("region:eu")]
    public void Verify_ScopeOmittingAWrittenOrReferencedId_Fails(string omitted)
    {
        // node:a is written; region:eu is written and referenced by node:a.
        AssertFails(
            r => Resigned(r, new Proposal(RegistryId, 0, r.Proposal.BaseHash, 1, [.. r.Proposal.Scope.Remove(omitted)], r.Proposal.Changes, r.Proposal.ExpiresAt, string.Empty)),
            $"scope lacks '{omitted}'");
    }

    [Fact]
    public void Verify_ReferencedIdOmittedFromScope_Fails()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")));
        var before = h.State;
        var record = h.CommitChanges(Given.Put(Given.Node("node:a", "region:eu")));
        var forged = Resigned(record, new Proposal(RegistryId, record.Proposal.BaseVersion, record.Proposal.BaseHash, 1, ["node:a"], record.Proposal.Changes, record.Proposal.ExpiresAt, string.Empty));
        Assert.Contains("scope lacks 'region:eu'", RegistryMachine.Verify(before, forged), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RecordOverAnIdWrittenAfterItsBase_FailsAsScopeConflict()
    {
        // Two proposals on base 0 that both write region:eu: the honest chain holds the first; a record
        // that commits the second after it must be refused.
        var h = new Harness();
        var first = h.Build(Given.Put(Given.Region("region:eu")));
        var second = h.Build(Given.Put(Given.Region("region:eu", "Twice")));
        Expect(h.Propose(first));
        Expect(h.Approve(first, Alice));
        Expect(h.Approve(first, Bob));
        Expect(h.Commit(first));
        var before = h.State;
        var approvals = ImmutableArray.Create(Approval.Sign("alice", TestKeys.Key(Alice.Fill), second.Id), Approval.Sign("bob", TestKeys.Key(Bob.Fill), second.Id));
        var record = new CommitRecord(2, before.HeadHash, second, approvals, 1, before.Descriptors.Put(Given.Region("region:eu", "Twice")).Root, h.Now);
        var error = RegistryMachine.Verify(before, record);
        Assert.Contains("ScopeConflict", error, StringComparison.Ordinal);
        Assert.Contains("'region:eu'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SameProposalCommittedTwice_Fails()
    {
        var h = new Harness();
        var record = h.CommitChanges(Given.Put(Given.Region("region:eu")));
        var again = new CommitRecord(2, h.State.HeadHash, record.Proposal, record.Approvals, 1, record.StateRoot, record.CommittedAt);
        Assert.Contains("already committed as version 1", RegistryMachine.Verify(h.State, again), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_WrongSignerSetVersion_Fails() =>
        AssertFails(r => Forge(r, signerSetVersion: 2), "signer_set_version");

    [Fact]
    public void Verify_CommittedBeforePreviousRecord_Fails()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:a")));
        var before = h.State;
        var record = h.CommitChanges(Given.Put(Given.Region("region:b")));
        var early = Forge(record, committedAt: before.Head!.CommittedAt.Add(TimeSpan.FromMilliseconds(-1)));
        Assert.Contains("committed_at", RegistryMachine.Verify(before, early), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_SignerApprovingTwice_Fails() =>
        AssertFails(r => Forge(r, approvals: [.. r.Approvals, r.Approvals[0]]), "approves twice");

    [Fact]
    public void Verify_ApprovalByNonSigner_Fails() =>
        AssertFails(r => Forge(r, approvals: [.. r.Approvals, Approval.Sign("mallory", TestKeys.Key(9), r.ProposalId)]), "not a signer");

    [Fact]
    public void Verify_BadSignature_Fails() =>
        AssertFails(r => Forge(r, approvals: [r.Approvals[0], new Approval(r.Approvals[1].SignerId, Approval.Sign("x", TestKeys.Key(9), r.ProposalId).Signature)]), "does not verify");

    [Fact]
    public void Verify_TooFewApprovals_Fails() =>
        AssertFails(r => Forge(r, approvals: [r.Approvals[0]]), "quorum");

    [Fact]
    public void Verify_WrongStateRoot_Fails() =>
        AssertFails(r => Forge(r, stateRoot: Digest.Compute("x"u8)), "state_root");

    [Fact]
    public void Verify_ChangesThatBreakTheModel_Fail() =>
        AssertFails(r => Resigned(r, new Proposal(RegistryId, 0, r.Proposal.BaseHash, r.Proposal.SignerSetVersion, null, [Given.Put(Given.Node("node:a", "region:none"))], r.Proposal.ExpiresAt, string.Empty)), "break the data model");

    [Fact]
    public void Verify_SetSignersWithoutNewSetQuorum_Fails()
    {
        var h = new Harness();
        var before = h.State;
        var next = TestKeys.Set(2, 1, ("dave", 4));
        var proposal = h.Build(new SetSignersChange(next));
        var approvals = ImmutableArray.Create(Approval.Sign("alice", TestKeys.Key(1), proposal.Id), Approval.Sign("bob", TestKeys.Key(2), proposal.Id));
        var root = before.Descriptors.Root;
        var record = new CommitRecord(1, before.HeadHash, proposal, approvals, 1, root, h.Now);
        Assert.Contains("quorum", RegistryMachine.Verify(before, record), StringComparison.Ordinal);

        var signed = new CommitRecord(1, before.HeadHash, proposal, approvals.Add(Approval.Sign("dave", TestKeys.Key(4), proposal.Id)), 1, root, h.Now);
        Assert.Null(RegistryMachine.Verify(before, signed, out var after));
        Assert.Equal(2, after!.SignerSet.Version);
    }

    private static (RegistryState Before, CommitRecord Record, RegistryState After) Honest()
    {
        var h = new Harness();
        var before = h.State;
        var record = h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Node("node:a", "region:eu")));
        return (before, record, h.State);
    }

    private static void AssertFails(Func<CommitRecord, CommitRecord> forge, string complaint)
    {
        var (before, record, _) = Honest();
        var error = RegistryMachine.Verify(before, forge(record), out var next);
        Assert.NotNull(error);
        Assert.Contains(complaint, error, StringComparison.Ordinal);
        Assert.Null(next);
    }

    private static CommitRecord Forge(
        CommitRecord r,
        long? version = null,
        Digest? prevHash = null,
        ImmutableArray<Approval>? approvals = null,
        long? signerSetVersion = null,
        Digest? stateRoot = null,
        Timestamp? committedAt = null) =>
        new(version ?? r.Version, prevHash ?? r.PrevHash, r.Proposal, approvals ?? r.Approvals, signerSetVersion ?? r.SignerSetVersion, stateRoot ?? r.StateRoot, committedAt ?? r.CommittedAt);

    // Another proposal, validly signed by the same signers, so only the property under test is wrong.
    private static CommitRecord Resigned(CommitRecord r, Proposal proposal) =>
        new(r.Version, r.PrevHash, proposal, [.. r.Approvals.Select(a => Approval.Sign(a.SignerId, TestKeys.Key(a.SignerId == "alice" ? Alice.Fill : a.SignerId == "bob" ? Bob.Fill : Carol.Fill), proposal.Id))], r.SignerSetVersion, r.StateRoot, r.CommittedAt);
}
