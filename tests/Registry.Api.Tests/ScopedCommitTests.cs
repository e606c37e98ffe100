using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Core.Crypto;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// The scoped compare-and-swap (SPEC §1, commit rule) against the real process: proposals on one base commit unless
/// a commit since their base wrote an id in their scope, the signer set changed, or the result breaks the data model.
/// </summary>
public sealed class ScopedCommitTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DisjointScopes_BothApprovedOnOneBase_BothCommitInEitherOrder(bool reversed)
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var a = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Region("region:us")));
        var b = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Region("region:ap")));
        var (first, second) = reversed ? (b, a) : (a, b);

        Assert.Equal(1, (await driver.CommitAsync(first)).GetProperty("version").GetInt64());
        Assert.Equal(2, (await driver.CommitAsync(second)).GetProperty("version").GetInt64());

        var head = await driver.HeadAsync();
        Assert.Equal(2, head.GetProperty("descriptor_count").GetInt32());
        var view = await GetProposalAsync(driver, second);
        Assert.Equal("committed", view.GetProperty("status").GetString());
        Assert.Equal(0, view.GetProperty("proposal").GetProperty("base_version").GetInt64());
    }

    [Fact]
    public async Task SameIdInBoth_SecondIsScopeConflictNamingIdAndVersion_AndWritesNothing()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        await driver.CommitChangesAsync(Driver.Region("region:eu"));
        var a = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Region("region:us", "One")));
        var b = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Region("region:us", "Two")));
        Assert.Equal(2, (await driver.CommitAsync(a)).GetProperty("version").GetInt64());

        var problem = await CommitRefusedAsync(driver, b, HttpStatusCode.Conflict, "ScopeConflict");
        Assert.Contains("'region:us'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("version 2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, (await driver.HeadAsync()).GetProperty("version").GetInt64());

        var view = await GetProposalAsync(driver, b);
        Assert.Equal("stale", view.GetProperty("status").GetString());
        var stale = view.GetProperty("stale");
        Assert.Equal(("ScopeConflict", "region:us", 2L), (stale.GetProperty("code").GetString(), stale.GetProperty("id").GetString(), stale.GetProperty("version").GetInt64()));

        using var approve = await driver.PostAsync($"/registry/approvals/{b}", Driver.ApprovalJson(b, 3));
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        Assert.Equal("ScopeConflict", (await Driver.JsonAsync(approve)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task NodeIntoARegionDeletedMeanwhile_IsScopeConflict_AndWritesNothing()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        await driver.CommitChangesAsync(Driver.Region("region:x"));
        var node = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Node("node:n", "region:x")));
        var delete = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Delete("region:x")));
        Assert.Equal(2, (await driver.CommitAsync(delete)).GetProperty("version").GetInt64());

        var problem = await CommitRefusedAsync(driver, node, HttpStatusCode.Conflict, "ScopeConflict");
        Assert.Contains("'region:x'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(driver, 2, 0, "node:n");
    }

    [Fact]
    public async Task RegionDeleteAfterAnotherCommitStartedReferencingIt_IsDanglingReference_AndWritesNothing()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        await driver.CommitChangesAsync(Driver.Region("region:y"));
        var delete = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Delete("region:y")));
        var node = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Node("node:m", "region:y")));
        Assert.Equal(2, (await driver.CommitAsync(node)).GetProperty("version").GetInt64());

        // node:m is not in the delete's scope, so rule 2 holds; rule 4 on the actual HEAD does not.
        var problem = await CommitRefusedAsync(driver, delete, HttpStatusCode.UnprocessableEntity, "DanglingReference");
        Assert.Contains("region:y", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(driver, 2, 2, null);
        using var region = await service.Api.GetAsync("/registry/2/descriptors/region:y");
        Assert.Equal(HttpStatusCode.OK, region.StatusCode);
    }

    [Fact]
    public async Task SetSignersCommit_MakesEveryOlderPendingProposalSignerSetChanged()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var older = await driver.ProposeAsync(Driver.Region("region:z"));
        var approved = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync(Driver.Region("region:w")));
        var keys = string.Join(",", Enumerable.Range(1, 3).Select(n =>
        {
            using var key = SignerKeyDocument.DevKey(n);
            return $$"""{"id":"dev-signer-{{n}}","algo":"ed25519","public_key":"{{key.PublicKey.ToBase64()}}"}""";
        }));
        var rotate = await ProposeApprovedAsync(driver, await driver.ProposalJsonAsync($$$"""{"op":"set_signers","signer_set":{"version":2,"threshold":2,"signers":[{{{keys}}}]}}"""));
        Assert.Equal(1, (await driver.CommitAsync(rotate)).GetProperty("version").GetInt64());

        foreach (var id in new[] { older, approved })
        {
            var view = await GetProposalAsync(driver, id);
            Assert.Equal("stale", view.GetProperty("status").GetString());
            Assert.Equal("SignerSetChanged", view.GetProperty("stale").GetProperty("code").GetString());
            Assert.Equal(2, view.GetProperty("stale").GetProperty("version").GetInt64());
        }

        await CommitRefusedAsync(driver, approved, HttpStatusCode.Conflict, "SignerSetChanged");
        using var approve = await driver.PostAsync($"/registry/approvals/{older}", Driver.ApprovalJson(older, 1));
        Assert.Equal("SignerSetChanged", (await Driver.JsonAsync(approve)).GetProperty("code").GetString());
        Assert.Equal(1, (await driver.HeadAsync()).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task FiftyClients_OnDisjointDescriptors_CommitWithZeroConflicts()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        var baseJson = await driver.ProposalJsonAsync("CHANGES");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(async client =>
        {
            var id = await ProposeApprovedAsync(driver, baseJson.Replace("[CHANGES]", "[" + Driver.Region($"region:c{client}", "Client " + client) + "]", StringComparison.Ordinal));
            using var response = await driver.PostAsync($"/registry/commit/{id}", null);
            return response.StatusCode;
        }));

        Assert.All(outcomes, status => Assert.Equal(HttpStatusCode.Created, status));
        var head = await driver.HeadAsync();
        Assert.Equal(50, head.GetProperty("version").GetInt64());
        Assert.Equal(50, head.GetProperty("descriptor_count").GetInt32());
    }

    [Fact]
    public async Task FiftyClients_OnOneSharedDescriptor_OneWinnerPerRound_NoLostUpdate()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        for (var round = 0; round < 3; round++)
        {
            // Every client builds on the same HEAD, so every pair of proposals in a round conflicts on region:shared.
            var baseJson = await driver.ProposalJsonAsync("CHANGES");
            var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(client =>
                ProposeApprovedAsync(driver, baseJson.Replace("[CHANGES]", "[" + Driver.Region("region:shared", $"r{round}-c{client}") + "]", StringComparison.Ordinal))));
            var outcomes = await Task.WhenAll(ids.Select(async id =>
            {
                using var response = await driver.PostAsync($"/registry/commit/{id}", null);
                var body = await Driver.JsonAsync(response);
                return (Id: id, response.StatusCode, Code: body.TryGetProperty("code", out var code) ? code.GetString() : null);
            }));

            var winner = Assert.Single(outcomes, o => o.StatusCode == HttpStatusCode.Created);
            Assert.All(outcomes.Where(o => o.Id != winner.Id), o => Assert.Equal((HttpStatusCode.Conflict, "ScopeConflict"), (o.StatusCode, o.Code)));

            // No lost update: HEAD moved by exactly one, and holds the winner's value.
            var head = await driver.HeadAsync();
            Assert.Equal(round + 1, head.GetProperty("version").GetInt64());
            var winnerName = (await GetProposalAsync(driver, winner.Id)).GetProperty("proposal").GetProperty("changes")[0]
                .GetProperty("descriptor").GetProperty("attrs").GetProperty("name").GetString();
            using var read = await service.Api.GetAsync($"/registry/{round + 1}/descriptors/region:shared");
            Assert.Equal(winnerName, (await Driver.JsonAsync(read)).GetProperty("descriptor").GetProperty("attrs").GetProperty("name").GetString());
        }
    }

    private static async Task<string> ProposeApprovedAsync(Driver driver, string proposalJson)
    {
        using var response = await driver.PostAsync("/registry/proposals", proposalJson);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("proposal_id").GetString()!;
        await driver.ApproveAsync(id, 1);
        await driver.ApproveAsync(id, 2);
        return id;
    }

    private static async Task<JsonElement> GetProposalAsync(Driver driver, string id)
    {
        using var response = await driver.Api.GetAsync($"/registry/proposals/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Driver.JsonAsync(response);
    }

    private static async Task<JsonElement> CommitRefusedAsync(Driver driver, string id, HttpStatusCode status, string code)
    {
        using var response = await driver.PostAsync($"/registry/commit/{id}", null);
        var problem = await Driver.JsonAsync(response);
        Assert.Equal((status, code), (response.StatusCode, problem.GetProperty("code").GetString()));
        return problem;
    }

    private static async Task AssertNothingWrittenAsync(Driver driver, long version, int descriptors, string? absent)
    {
        var head = await driver.HeadAsync();
        Assert.Equal(version, head.GetProperty("version").GetInt64());
        Assert.Equal(descriptors, head.GetProperty("descriptor_count").GetInt32());
        if (absent is not null)
        {
            using var read = await driver.Api.GetAsync($"/registry/{version}/descriptors/{absent}");
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }
    }
}
