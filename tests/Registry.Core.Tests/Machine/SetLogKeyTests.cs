using System.Text;
using Registry.Core.Json;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using Registry.Core.Transparency;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

/// <summary>
/// docs/PROTOCOL.md §12.14: set_log_key rotates the transparency log key through the M-of-N rule (threshold of the
/// current signer set, scope ["*"]), the key in force is part of the state and of its snapshot, and bad input is a
/// typed rejection that changes nothing.
/// </summary>
public sealed class SetLogKeyTests
{
    private static readonly NoteVerifierKey s_first = TestKeys.LogKey(0x41);
    private static readonly NoteVerifierKey s_second = TestKeys.LogKey(0x42);

    [Fact]
    public void Commit_CurrentThreshold_PutsTheKeyInForce()
    {
        var h = new Harness();
        Assert.Null(h.State.LogKey);
        var proposal = h.Build(new SetLogKeyChange(s_first));
        Assert.True(proposal.ScopesEverything);
        Expect(h.Propose(proposal));
        Expect(h.Approve(proposal, Alice));
        ExpectRejected(h.Commit(proposal), RegistryErrorCode.QuorumFailed);
        Assert.Null(h.State.LogKey);
        Expect(h.Approve(proposal, Bob));
        var record = Expect(h.Commit(proposal)).Record;

        Assert.Equal(s_first.ToString(), h.State.LogKey!.ToString());
        Assert.Equal(1, h.State.SignerSet.Version);
        Assert.Contains("{\"log_key\":\"" + s_first + "\",\"op\":\"set_log_key\"}", Encoding.UTF8.GetString(record.CanonicalBytes), StringComparison.Ordinal);

        // The key stays in force through unrelated commits, and the chain verifier arrives at the same key.
        h.CommitChanges(Given.Put(Given.Region("region:x")));
        Assert.Equal(s_first.ToString(), h.State.LogKey!.ToString());
        var report = ChainVerifier.Verify(h.Genesis, h.Records, h.State.HeadHash);
        Assert.True(report.Ok, report.Error);
        Assert.Equal(s_first.ToString(), report.Head.LogKey!.ToString());
    }

    [Fact]
    public void Propose_SameKeyAsInForce_IsInvalidDescriptorAndChangesNothing()
    {
        var h = new Harness();
        h.CommitChanges(new SetLogKeyChange(s_first));
        var before = StateSnapshotCodec.ToArray(h.State);
        ExpectRejected(h.Propose(h.Build(new SetLogKeyChange(s_first))), RegistryErrorCode.InvalidDescriptor);
        Assert.Equal(before, StateSnapshotCodec.ToArray(h.State));
    }

    [Fact]
    public void Propose_KeyNamedForAnotherOrigin_IsInvalidDescriptor()
    {
        var h = new Harness();
        var rejected = h.Propose(h.Build(new SetLogKeyChange(TestKeys.LogKey(0x41, "other-registry"))));
        ExpectRejected(rejected, RegistryErrorCode.InvalidDescriptor);
        Assert.Contains("other-registry", rejected.Rejection!.Detail, StringComparison.Ordinal);
        Assert.Empty(h.State.Pending);
    }

    [Fact]
    public void Propose_TwoRotationsInOneProposal_IsInvalidDescriptor()
    {
        var h = new Harness();
        ExpectRejected(h.Propose(h.Build(new SetLogKeyChange(s_first), new SetLogKeyChange(s_second))), RegistryErrorCode.InvalidDescriptor);
    }

    [Theory]
    [InlineData("test-registry+00000000+AQ==")]
    [InlineData("not a vkey")]
    public void FromJson_MalformedVkey_IsMalformed(string vkey)
    {
        using var document = CanonicalJson.Parse(Encoding.UTF8.GetBytes($"{{\"op\":\"set_log_key\",\"log_key\":\"{vkey}\"}}"));
        Assert.Equal(RegistryErrorCode.Malformed, Assert.Throws<RegistryFormatException>(() => Change.FromJson(document.RootElement)).Code);
    }

    [Fact]
    public void FromJson_CosignatureTypeKeyOrExtraField_IsMalformed()
    {
        var cosigner = new NoteVerifierKey(RegistryId, NoteVerifierKey.CosignatureV1Type, s_first.PublicKey);
        using var typed = CanonicalJson.Parse(Encoding.UTF8.GetBytes($"{{\"op\":\"set_log_key\",\"log_key\":\"{cosigner}\"}}"));
        Assert.Equal(RegistryErrorCode.Malformed, Assert.Throws<RegistryFormatException>(() => Change.FromJson(typed.RootElement)).Code);
        using var extra = CanonicalJson.Parse(Encoding.UTF8.GetBytes($"{{\"op\":\"set_log_key\",\"log_key\":\"{s_first}\",\"x\":1}}"));
        Assert.Equal(RegistryErrorCode.Malformed, Assert.Throws<RegistryFormatException>(() => Change.FromJson(extra.RootElement)).Code);
    }

    [Fact]
    public void Commit_Rotation_MakesAnOlderWholeRegistryProposalStaleButNotAScopedOne()
    {
        var h = new Harness();
        var other = h.Build(new SetLogKeyChange(s_second));
        Expect(h.Propose(other));
        var scoped = h.Build(Given.Put(Given.Region("region:y")));
        Expect(h.Propose(scoped));
        h.CommitChanges(new SetLogKeyChange(s_first));

        Assert.Equal(ProposalStatus.Stale, h.State.StatusOf(h.State.Pending[other.Id], h.Now));
        Assert.Equal(RegistryErrorCode.ScopeConflict, h.State.ConflictOf(other)!.Code);
        Assert.Null(h.State.ConflictOf(scoped));
    }

    [Fact]
    public void Verify_RecordWithTooFewApprovals_FailsNamingQuorum()
    {
        var h = new Harness();
        var honest = h.CommitChanges(new SetLogKeyChange(s_first));
        using var document = CanonicalJson.Parse(honest.CanonicalBytes.ToArray());
        var forged = Encoding.UTF8.GetString(honest.CanonicalBytes);
        var approvals = document.RootElement.GetProperty("approvals");
        var second = approvals[1].GetRawText();
        forged = forged.Replace("," + second, string.Empty, StringComparison.Ordinal);
        var record = CommitRecord.FromCanonicalBytes(Encoding.UTF8.GetBytes(forged));
        var error = RegistryMachine.Verify(RegistryState.FromGenesis(h.Genesis), record);
        Assert.NotNull(error);
        Assert.Contains("quorum", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Snapshot_StateWithARotatedKey_RoundTripsTheKey()
    {
        var h = new Harness();
        h.CommitChanges(new SetLogKeyChange(s_first));
        h.CommitChanges(Given.Put(Given.Region("region:z")));
        var restored = StateSnapshotCodec.Read(StateSnapshotCodec.ToArray(h.State));
        Assert.Equal(s_first.ToString(), restored.LogKey!.ToString());
        StateAssert.Equal(h.State, restored);
    }

    [Fact]
    public void Genesis_TrustRootsWithALogKey_PutItInForceAtVersionZeroAndRoundTrip()
    {
        var set = Given.Text(TestKeys.Set(1, 2, Alice, Bob, Carol).ToCanonicalBytes());
        var roots = Encoding.UTF8.GetBytes($"{{\"registry\":\"{RegistryId}\",\"signer_set\":{set},\"log_key\":\"{s_first}\"}}");
        var genesis = GenesisRecord.FromTrustRoots(roots);
        Assert.Equal(s_first.ToString(), genesis.LogKey!.ToString());
        Assert.Equal(CanonicalJson.Canonicalize(roots), genesis.ToTrustRootsDocument());
        Assert.StartsWith("{\"log_key\":\"" + s_first + "\",\"prev_hash\"", Encoding.UTF8.GetString(genesis.CanonicalBytes), StringComparison.Ordinal);
        Assert.NotEqual(new GenesisRecord(RegistryId, genesis.SignerSet).Hash, genesis.Hash);

        var state = RegistryState.FromGenesis(genesis);
        Assert.Equal(s_first.ToString(), state.LogKey!.ToString());
        Assert.Equal(s_first.ToString(), StateSnapshotCodec.Read(StateSnapshotCodec.ToArray(state)).LogKey!.ToString());
    }

    [Fact]
    public void Genesis_LogKeyNamedForAnotherRegistry_IsMalformed()
    {
        var set = Given.Text(TestKeys.Set(1, 2, Alice, Bob, Carol).ToCanonicalBytes());
        var roots = Encoding.UTF8.GetBytes($"{{\"registry\":\"{RegistryId}\",\"signer_set\":{set},\"log_key\":\"{TestKeys.LogKey(0x41, "elsewhere")}\"}}");
        Assert.Equal(RegistryErrorCode.Malformed, Assert.Throws<RegistryFormatException>(() => GenesisRecord.FromTrustRoots(roots)).Code);
    }
}
