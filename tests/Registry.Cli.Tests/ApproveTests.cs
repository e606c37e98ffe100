using System.Text.Json;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;

namespace Registry.Cli.Tests;

/// <summary>approve shows a readable diff against the base version and signs only after confirmation.</summary>
public sealed class ApproveTests
{
    [Fact]
    public async Task Approve_ChangedAndDeletedDescriptors_ShowsAttributeDiff()
    {
        await using var dev = await DevService.StartAsync();
        await dev.CommitAsync(DevService.Region("region:a"), DevService.Region("region:b"), DevService.Node("node:n", "region:a", "10.0.0.1:7000"));
        var file = dev.ProposalFile("change.json", DevService.Node("node:n", "region:b", "10.0.0.2:7000"), DevService.Region("region:a", "Region"), "{\"op\":\"delete\",\"id\":\"region:a\"}");
        var id = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", file)).Out);

        var result = await dev.Ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-3", "--yes");

        var lines = result.Out.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("changes against version 1:", lines);
        Assert.Contains("~ put node:n [node] (changed)", lines);
        Assert.Contains("- addr: \"10.0.0.1:7000\"", lines);
        Assert.Contains("+ addr: \"10.0.0.2:7000\"", lines);
        Assert.Contains("- region: \"region:a\"", lines);
        Assert.Contains("+ region: \"region:b\"", lines);
        Assert.Contains("= put region:a [region] (unchanged)", lines);
        Assert.Contains("- delete region:a (removed)", lines);
        Assert.Contains("- name: \"Region\"", lines);
        Assert.DoesNotContain(lines, l => l.Contains("region:b [region]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("n\n")]
    [InlineData("")]
    public async Task Approve_NotConfirmed_SignsNothing(string answer)
    {
        await using var dev = await DevService.StartAsync();
        var id = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("p.json", DevService.Region("region:no")))).Out);

        var declined = await dev.Ronctl.RunAsync(["registry", "approve", "--id", id, "--signer", "dev-signer-1"], answer, CancellationToken.None);

        Assert.Equal(ExitCodes.Failure, declined.ExitCode);
        Assert.Contains("not confirmed", declined.Error, StringComparison.Ordinal);
        Assert.Contains("+ put region:no [region] (added)", declined.Out, StringComparison.Ordinal);
        Assert.Contains("0/2 of 3", (await dev.Ronctl.ExpectAsync(0, "registry", "proposals", "--id", id)).Out, StringComparison.Ordinal);

        var confirmed = await dev.Ronctl.RunAsync(["registry", "approve", "--id", id, "--signer", "dev-signer-1"], "yes\n", CancellationToken.None);
        Assert.Equal(0, confirmed.ExitCode);
        Assert.Contains("1/2 of 3", (await dev.Ronctl.ExpectAsync(0, "registry", "proposals", "--id", id)).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_KeyFileOfAnotherSigner_ExitsUsageAndSignsNothing()
    {
        await using var dev = await DevService.StartAsync();
        var id = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("p.json", DevService.Region("region:who")))).Out);
        File.Copy(Path.Combine(dev.Directory, "keys", "dev-signer-1.key"), Path.Combine(dev.Directory, "keys", "impostor.key"));

        var result = await dev.Ronctl.ExpectAsync(ExitCodes.Usage, "registry", "approve", "--id", id, "--signer", "impostor", "--yes");

        Assert.Contains("is signer 'dev-signer-1', not 'impostor'", result.Error, StringComparison.Ordinal);
        Assert.Contains("0/2 of 3", (await dev.Ronctl.ExpectAsync(0, "registry", "proposals")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_HeadAtTheBase_SaysHeadHasNotMoved()
    {
        await using var dev = await DevService.StartAsync();
        var id = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("p.json", DevService.Region("region:still")))).Out);

        var result = await dev.Ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes");

        Assert.Contains("(the proposal's base: HEAD has not moved)", result.Out, StringComparison.Ordinal);
        Assert.Contains("nothing committed since the base", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_HeadMovedOutsideTheScope_SaysSoBeforeSigning_AndJsonCarriesDiffAndReview()
    {
        await using var dev = await DevService.StartAsync();
        await dev.CommitAsync(DevService.Region("region:r", "Old"));
        var id = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("p.json", DevService.Region("region:r", "New")))).Out);
        await dev.CommitAsync(DevService.Region("region:elsewhere"));
        await dev.CommitAsync(DevService.Region("region:further"));

        var declined = await dev.Ronctl.RunAsync(["registry", "approve", "--id", id, "--signer", "dev-signer-1"], "n\n", CancellationToken.None);
        var json = await dev.Ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes", "--json");

        // Shown before the question, so a "no" still saw it.
        Assert.Equal(ExitCodes.Failure, declined.ExitCode);
        Assert.Contains("(moved: 2 commits since the base v1)", declined.Out, StringComparison.Ordinal);
        Assert.Contains("nothing in its scope (region:r) was written since v1, and the signer set is unchanged", declined.Out, StringComparison.Ordinal);
        Assert.Contains("~ put region:r [region] (changed)", declined.Out, StringComparison.Ordinal);

        using var document = JsonDocument.Parse(json.Out);
        var review = document.RootElement.GetProperty("review");
        Assert.Equal((1L, 3L, true, 2L, true, 0), (
            review.GetProperty("base_version").GetInt64(),
            review.GetProperty("head").GetProperty("version").GetInt64(),
            review.GetProperty("head_moved").GetBoolean(),
            review.GetProperty("commits_since_base").GetInt64(),
            review.GetProperty("scope_unchanged").GetBoolean(),
            review.GetProperty("conflicts").GetArrayLength()));
        var change = Assert.Single(document.RootElement.GetProperty("diff").EnumerateArray());
        Assert.Equal(("put", "region:r [region]", "changed"), (change.GetProperty("op").GetString(), change.GetProperty("subject").GetString(), change.GetProperty("status").GetString()));
        var attr = Assert.Single(change.GetProperty("attrs").EnumerateArray());
        Assert.Equal(("name", "\"Old\"", "\"New\""), (attr.GetProperty("path").GetString(), attr.GetProperty("old").GetString(), attr.GetProperty("new").GetString()));
        Assert.Equal("pending", document.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Approve_IdInScopeWrittenSinceTheBase_RefusesToSign_NamingTheIdAndVersion()
    {
        await using var dev = await DevService.StartAsync();
        await dev.CommitAsync(DevService.Region("region:a"));
        var id = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("p.json", DevService.Node("node:n", "region:a")))).Out);
        await dev.CommitAsync(DevService.Region("region:a", "Renamed"));
        await dev.CommitAsync(DevService.Region("region:b"));

        var text = await dev.Ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes");
        var json = await dev.Ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes", "--json");

        Assert.Contains("ScopeConflict: 'region:a' is in its scope and was written by v2", text.Out, StringComparison.Ordinal);
        Assert.Contains("not signed: since its base v1, 'region:a' is in its scope and was written by v2 (ScopeConflict)", text.Error, StringComparison.Ordinal);
        Assert.Contains($"ronctl registry propose --rebase {id}", text.Error, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        Assert.Equal("ScopeConflict", document.RootElement.GetProperty("error").GetProperty("code").GetString());
        var conflict = Assert.Single(document.RootElement.GetProperty("review").GetProperty("conflicts").EnumerateArray());
        Assert.Equal(("ScopeConflict", "region:a", 2L), (conflict.GetProperty("code").GetString(), conflict.GetProperty("id").GetString(), conflict.GetProperty("version").GetInt64()));
        Assert.Equal("added", Assert.Single(document.RootElement.GetProperty("diff").EnumerateArray()).GetProperty("status").GetString());
        Assert.Contains("0/2 of 3", (await dev.Ronctl.ExpectAsync(0, "registry", "proposals", "--id", id)).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approve_AfterASignerSetChange_RefusesToSign_SignerSetChanged()
    {
        await using var dev = await DevService.StartAsync();
        var id = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("p.json", DevService.Region("region:s")))).Out);
        using var genesis = JsonDocument.Parse(await dev.Service.Api.GetStringAsync("/registry/0"));
        var signers = genesis.RootElement.GetProperty("commit").GetProperty("signer_set").GetProperty("signers").GetRawText();
        await dev.CommitAsync("{\"op\":\"set_signers\",\"signer_set\":{\"version\":2,\"threshold\":2,\"signers\":" + signers + "}}");

        var result = await dev.Ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes", "--json");

        using var document = JsonDocument.Parse(result.Out);
        var codes = document.RootElement.GetProperty("review").GetProperty("conflicts").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToArray();
        Assert.Equal(["SignerSetChanged"], codes);
        Assert.Equal("SignerSetChanged", document.RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
