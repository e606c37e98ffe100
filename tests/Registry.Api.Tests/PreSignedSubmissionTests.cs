using System.Collections.Immutable;
using System.Net;
using System.Text;
using Registry.Api.Tests.Support;
using Registry.Core.Crypto;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary><c>POST /registry/commits</c>: a complete proposal and its approvals, committed as one durable append.</summary>
public sealed class PreSignedSubmissionTests
{
    [Fact]
    public async Task Submit_CompleteProposalWithQuorum_Commits_AndARetryAnswersTheSameVersion()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var proposal = await BuildAsync(driver, Driver.Region("region:eu"));
        var body = Submission(proposal, 1, 2);

        using var first = await driver.PostAsync("/registry/commits", body);
        var committed = await Driver.JsonAsync(first);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(1, committed.GetProperty("version").GetInt64());

        using var again = await driver.PostAsync("/registry/commits", body);
        var retried = await Driver.JsonAsync(again);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(committed.GetProperty("hash").GetString(), retried.GetProperty("hash").GetString());
        Assert.Equal(1, (await driver.HeadAsync()).GetProperty("version").GetInt64());

        // The same record as the three-step flow: the proposal view shows it committed with both approvals.
        using var view = await driver.Api.GetAsync($"/registry/proposals/{proposal.Id}");
        var json = await Driver.JsonAsync(view);
        Assert.Equal("committed", json.GetProperty("status").GetString());
        Assert.Equal(2, json.GetProperty("approvals").GetArrayLength());
    }

    [Fact]
    public async Task Submit_TwoOnOneBaseWithDisjointScopes_BothCommit()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var a = await BuildAsync(driver, Driver.Region("region:us"));
        var b = await BuildAsync(driver, Driver.Region("region:ap"));
        using var first = await driver.PostAsync("/registry/commits", Submission(a, 1, 3));
        using var second = await driver.PostAsync("/registry/commits", Submission(b, 2, 3));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, second.StatusCode));
        Assert.Equal(2, (await Driver.JsonAsync(second)).GetProperty("version").GetInt64());
    }

    [Theory]
    [InlineData("quorum", HttpStatusCode.UnprocessableEntity, "QuorumFailed")]
    [InlineData("forged", HttpStatusCode.UnprocessableEntity, "InvalidSig")]
    [InlineData("twice", HttpStatusCode.Conflict, "DuplicateApproval")]
    [InlineData("unknown", HttpStatusCode.UnprocessableEntity, "UnknownSigner")]
    [InlineData("extra", HttpStatusCode.BadRequest, "Malformed")]
    [InlineData("incomplete", HttpStatusCode.BadRequest, "Malformed")]
    public async Task Submit_Refused_WritesNothing(string how, HttpStatusCode status, string code)
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var proposal = await BuildAsync(driver, Driver.Region("region:eu"));
        var good = Approvals(proposal, 1, 2);
        var body = how switch
        {
            "quorum" => Submission(proposal, [good[0]]),
            "forged" => Submission(proposal, [good[0], new Approval("dev-signer-2", SignAs("x", 3, proposal).Signature)]),
            "twice" => Submission(proposal, [good[0], good[0], good[1]]),
            "unknown" => Submission(proposal, [.. good, SignAs("mallory", 3, proposal)]),
            "extra" => Submission(proposal, good).Replace("{\"approvals\"", "{\"x\":1,\"approvals\"", StringComparison.Ordinal),
            _ => Submission(proposal, good).Replace(",\"scope\":[\"region:eu\"]", string.Empty, StringComparison.Ordinal),
        };

        using var response = await driver.PostAsync("/registry/commits", body);
        Assert.Equal((status, code), (response.StatusCode, (await Driver.JsonAsync(response)).GetProperty("code").GetString()));
        Assert.Equal(0, (await driver.HeadAsync()).GetProperty("version").GetInt64());
    }

    private static async Task<Proposal> BuildAsync(Driver driver, string change) => DevSubmissions.On(await driver.HeadAsync(), change, "pre-signed");

    private static ImmutableArray<Approval> Approvals(Proposal proposal, params int[] signers) =>
        [.. signers.Select(n => DevSubmissions.SignAs($"dev-signer-{n}", n, proposal))];

    private static Approval SignAs(string signerId, int devKey, Proposal proposal) => DevSubmissions.SignAs(signerId, devKey, proposal);

    private static string Submission(Proposal proposal, params int[] signers) => DevSubmissions.Body(proposal, signers);

    private static string Submission(Proposal proposal, IEnumerable<Approval> approvals) => DevSubmissions.Body(proposal, approvals);
}
