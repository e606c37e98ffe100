using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Model;

public sealed class PreSignedSubmissionTests
{
    private static readonly Proposal s_proposal = new(
        "reg", 0, Digest.Compute("genesis"u8), 1, null, [Given.Put(Given.Region("region:a"))], Timestamp.From(DateTimeOffset.UnixEpoch.AddYears(60)), "n");

    [Fact]
    public void CanonicalBytes_ApprovalsThenProposal_AreCanonicalJsonInTheGivenOrder()
    {
        var bob = Approval.Sign("bob", TestKeys.Key(2), s_proposal.Id);
        var alice = Approval.Sign("alice", TestKeys.Key(1), s_proposal.Id);

        var submission = new PreSignedSubmission(s_proposal, [bob, alice, bob]);

        var expected = "{\"approvals\":[" + string.Join(",", new[] { bob, alice, bob }.Select(a => ModelJson.Write(a.WriteTo))) + "],\"proposal\":" + Given.Text(s_proposal.CanonicalBytes) + "}";
        Assert.Equal(expected, Given.Text(submission.CanonicalBytes));
        Assert.Equal(submission.CanonicalBytes.ToArray(), CanonicalJson.Canonicalize(submission.CanonicalBytes.ToArray()));
        Assert.Equal(["bob", "alice", "bob"], submission.Approvals.Select(a => a.SignerId).ToArray());
    }

    [Fact]
    public void ToArray_IsACopy_NotTheBuffer()
    {
        var submission = new PreSignedSubmission(s_proposal, []);
        var copy = submission.ToArray();
        copy[0] = (byte)'x';
        Assert.Equal((byte)'{', submission.CanonicalBytes[0]);
        Assert.Equal("{\"approvals\":[],\"proposal\":" + Given.Text(s_proposal.CanonicalBytes) + "}", Given.Text(submission.CanonicalBytes));
    }

    [Fact]
    public void Constructor_NullApproval_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new PreSignedSubmission(s_proposal, new Approval[] { null! }));
}
