using Registry.Core.Model;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

/// <summary>SPEC §1: set_signers needs the threshold of the current set AND of the new set.</summary>
public sealed class SetSignersTests
{
    private static readonly (string Id, byte Fill) s_dave = ("dave", 4);
    private static readonly (string Id, byte Fill) s_erin = ("erin", 5);

    [Fact]
    public void Commit_OnlyCurrentThreshold_IsQuorumFailed()
    {
        var h = new Harness();
        var proposal = Open(h, TestKeys.Set(2, 2, s_dave, s_erin));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));
        Expect(h.Approve(proposal, Carol));
        Expect(h.Approve(proposal, s_dave));
        ExpectRejected(h.Commit(proposal), RegistryErrorCode.QuorumFailed);
    }

    [Fact]
    public void Commit_OnlyNewThreshold_IsQuorumFailed()
    {
        var h = new Harness();
        var proposal = Open(h, TestKeys.Set(2, 2, s_dave, s_erin));
        Expect(h.Approve(proposal, s_dave));
        Expect(h.Approve(proposal, s_erin));
        Expect(h.Approve(proposal, Alice));
        ExpectRejected(h.Commit(proposal), RegistryErrorCode.QuorumFailed);
    }

    [Fact]
    public void Commit_BothThresholds_InstallsNewSet()
    {
        var h = new Harness();
        var next = TestKeys.Set(2, 2, s_dave, s_erin);
        var proposal = Open(h, next);
        foreach (var s in new[] { Alice, Bob, s_dave, s_erin })
        {
            Expect(h.Approve(proposal, s));
        }

        var record = Expect(h.Commit(proposal)).Record;

        Assert.Equal(1, record.SignerSetVersion);
        Assert.Equal(2, h.State.SignerSet.Version);
        Assert.Equal(next.ToCanonicalBytes(), h.State.SignerSet.ToCanonicalBytes());

        // From now on only the new set approves, and the next set_signers must carry version 3.
        var after = h.Build(Given.Put(Given.Region("region:x")));
        Expect(h.Propose(after));
        ExpectRejected(h.Approve(after, Alice), RegistryErrorCode.UnknownSigner);
        Expect(h.Approve(after, s_dave));
        Expect(h.Approve(after, s_erin));
        Assert.Equal(2, Expect(h.Commit(after)).Record.SignerSetVersion);
        ExpectRejected(h.Propose(h.Build(new SetSignersChange(TestKeys.Set(2, 1, Alice)))), RegistryErrorCode.InvalidDescriptor);
    }

    [Fact]
    public void Commit_OverlappingSets_CountsSharedSignerTowardBoth()
    {
        var h = new Harness();
        var proposal = Open(h, TestKeys.Set(2, 2, Alice, s_dave));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));
        ExpectRejected(h.Commit(proposal), RegistryErrorCode.QuorumFailed);
        Expect(h.Approve(proposal, s_dave));
        Expect(h.Commit(proposal));
    }

    [Fact]
    public void Commit_NewSetGivesExistingIdANewKey_OldKeyDoesNotCountForNewSet()
    {
        // alice and bob keep their ids but get new keys: their approvals verify under the current keys, which
        // proves nothing about the new ones. Counting them for the new set would let the new set be locked out.
        var h = new Harness();
        var proposal = Open(h, TestKeys.Set(2, 2, ("alice", 0x11), ("bob", 0x12)));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));

        ExpectRejected(h.Commit(proposal), RegistryErrorCode.QuorumFailed);
    }

    [Fact]
    public void Commit_NewSetKeepsIdsAndKeys_SameApprovalsCountForBoth()
    {
        var h = new Harness();
        var proposal = Open(h, TestKeys.Set(2, 2, Alice, Bob));
        Expect(h.Approve(proposal, Alice));
        Expect(h.Approve(proposal, Bob));
        Expect(h.Commit(proposal));
        Assert.Equal(2, h.State.SignerSet.Signers.Length);
    }

    private static Proposal Open(Harness h, SignerSet next)
    {
        var proposal = h.Build(new SetSignersChange(next));
        Expect(h.Propose(proposal));
        return proposal;
    }
}
