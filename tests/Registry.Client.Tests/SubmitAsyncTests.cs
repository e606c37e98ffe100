using System.Text;
using Registry.Client.Tests.Support;
using Registry.Client.Verification;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Client.Tests;

/// <summary><c>SubmitAsync</c> (<c>POST /registry/commits</c>) through the SDK against a real service, with the body <see cref="PreSignedSubmission"/> builds.</summary>
public sealed class SubmitAsyncTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task SubmitAsync_CompleteProposalSignedLocally_CommitsOnce_AndARetryAnswersTheSameVersion()
    {
        var client = fixture.Client();
        var proposal = await CompleteAsync(client, Dev.Region("region:submitted"));
        var approvals = new[] { 1, 2 }.Select(n =>
        {
            using var key = Dev.Key(n);
            return ApprovalSigner.Sign(proposal.Id, proposal, $"dev-signer-{n}", key);
        }).ToList();
        var submission = new PreSignedSubmission(proposal, approvals);

        var first = await client.SubmitAsync(submission);
        var again = await client.SubmitAsync(proposal, approvals);

        Assert.Equal(first, again);
        var head = await client.GetHeadAsync();
        Assert.Equal((first.Version, first.Hash), (head.Version, head.Hash));
        var view = await client.GetProposalAsync(proposal.Id);
        Assert.Equal((ProposalStatus.Committed, first.Version), (view.Status, view.Version));
        Assert.Equal(["dev-signer-1", "dev-signer-2"], view.Approvals.Select(a => a.SignerId).ToArray());
    }

    [Fact]
    public async Task SubmitAsync_OneApprovalOfTwoNeeded_ThrowsQuorumFailed_AndWritesNothing()
    {
        var client = fixture.Client();
        var before = await client.GetHeadAsync();
        var proposal = await CompleteAsync(client, Dev.Region("region:short"));
        using var key = Dev.Key(1);

        var error = await Assert.ThrowsAsync<RegistryClientException>(() => client.SubmitAsync(proposal, [ApprovalSigner.Sign(proposal.Id, proposal, "dev-signer-1", key)]));

        Assert.Equal(("QuorumFailed", 422), (error.Code, error.StatusCode));
        Assert.Equal(before.Hash, (await client.GetHeadAsync()).Hash);
    }

    private static async Task<Proposal> CompleteAsync(RegistryClient client, string change)
    {
        var head = await client.GetHeadAsync();
        using var document = CanonicalJson.Parse(Encoding.UTF8.GetBytes(change));
        return new Proposal(head.Registry!, head.Version, head.Hash, head.SignerSetVersion, null, [Change.FromJson(document.RootElement)], Timestamp.From(DateTimeOffset.UtcNow.AddHours(1)), "sdk");
    }
}
