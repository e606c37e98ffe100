using System.Collections.Immutable;
using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Model;

public sealed class CommitRecordTests
{
    private static readonly Timestamp s_at = Timestamp.From(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Constructor_Record_HasCanonicalKeyOrderSortedApprovalsAndHash()
    {
        var proposal = new Proposal("reg", 0, Digest.Zero, 1, null, [Given.Put(Given.Region("region:eu"))], s_at, "n");
        var carol = Approval.Sign("carol", TestKeys.Key(3), proposal.Id);
        var alice = Approval.Sign("alice", TestKeys.Key(1), proposal.Id);
        var prev = Digest.Compute("prev"u8);
        var root = Digest.Compute("root"u8);

        var record = new CommitRecord(1, prev, proposal, [carol, alice], 1, root, s_at);

        Assert.Equal(["alice", "carol"], record.Approvals.Select(a => a.SignerId));
        var expected = "{\"approvals\":[" + ModelJson.Write(alice.WriteTo) + "," + ModelJson.Write(carol.WriteTo) + "],"
            + "\"committed_at\":\"2030-01-01T00:00:00.000Z\",\"prev_hash\":\"" + prev + "\",\"proposal\":" + Given.Text(proposal.CanonicalBytes)
            + ",\"proposal_id\":\"" + proposal.Id + "\",\"signer_set_version\":1,\"state_root\":\"" + root + "\",\"version\":1}";
        Assert.Equal(expected, Given.Text(record.CanonicalBytes));
        Assert.Equal(Digest.Compute(Given.Utf8(expected)), record.Hash);
        Assert.Equal(expected, ModelJson.Write(record.WriteTo));
    }

    [Fact]
    public void FromCanonicalBytes_Record_RoundTripsToTheSameHash()
    {
        var record = Sample();
        var back = CommitRecord.FromCanonicalBytes(record.CanonicalBytes.ToArray());
        Assert.Equal(record.Hash, back.Hash);
        Assert.Equal(record.ProposalId, back.ProposalId);
        Assert.Equal(record.Version, back.Version);
        Assert.Equal(record.CommittedAt, back.CommittedAt);
    }

    [Fact]
    public void FromCanonicalBytes_WrongProposalId_IsKeptForVerifiers()
    {
        var record = Sample();
        var tampered = Given.Text(record.CanonicalBytes).Replace("\"proposal_id\":\"" + record.ProposalId, "\"proposal_id\":\"" + Digest.Zero, StringComparison.Ordinal);
        var back = CommitRecord.FromCanonicalBytes(Given.Utf8(tampered));
        Assert.Equal(Digest.Zero, back.ProposalId);
        Assert.NotEqual(back.Proposal.Id, back.ProposalId);
    }

    [Fact]
    public void FromCanonicalBytes_UnsortedApprovals_IsMalformed()
    {
        var record = Sample();
        var a = ModelJson.Write(record.Approvals[0].WriteTo);
        var b = ModelJson.Write(record.Approvals[1].WriteTo);
        var swapped = Given.Text(record.CanonicalBytes).Replace(a + "," + b, b + "," + a, StringComparison.Ordinal);
        Assert.Throws<RegistryFormatException>(() => CommitRecord.FromCanonicalBytes(Given.Utf8(swapped)));
    }

    [Fact]
    public void Constructor_VersionZero_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new CommitRecord(0, Digest.Zero, Sample().Proposal, [], 1, Digest.Zero, s_at));

    internal static CommitRecord Sample()
    {
        var proposal = new Proposal("reg", 0, Digest.Zero, 1, null, [Given.Put(Given.Region("region:eu"))], s_at, "n");
        ImmutableArray<Approval> approvals = [Approval.Sign("bob", TestKeys.Key(2), proposal.Id), Approval.Sign("alice", TestKeys.Key(1), proposal.Id)];
        return new CommitRecord(1, Digest.Compute("g"u8), proposal, approvals, 1, Digest.Compute("r"u8), s_at);
    }
}
