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
        AssertFails(r => Resigned(r, new Proposal("elsewhere", 0, r.Proposal.BaseHash, r.Proposal.Changes, r.Proposal.ExpiresAt, string.Empty)), "registry/base");

    [Fact]
    public void Verify_ProposalOnAnotherBase_Fails() =>
        AssertFails(r => Resigned(r, new Proposal(RegistryId, 0, Digest.Compute("x"u8), r.Proposal.Changes, r.Proposal.ExpiresAt, string.Empty)), "registry/base");

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
        AssertFails(r => Resigned(r, new Proposal(RegistryId, 0, r.Proposal.BaseHash, [Given.Put(Given.Node("node:a", "region:none"))], r.Proposal.ExpiresAt, string.Empty)), "break the data model");

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
