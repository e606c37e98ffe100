using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;

namespace Registry.Cli.Tests;

/// <summary><c>ronctl registry propose --rebase P</c> against a real service: the same changes on HEAD, or a typed refusal that proposes nothing.</summary>
public sealed class RebaseTests
{
    [Fact]
    public async Task Rebase_ProposalMadeStaleByAConflict_ProposesTheSameChangesOnHead_WhichCommit()
    {
        await using var dev = await DevService.StartAsync();
        await dev.CommitAsync(DevService.Region("region:x", "First"));
        var stale = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("mine.json", DevService.Region("region:x", "Mine")))).Out);
        await dev.Ronctl.ExpectAsync(0, "registry", "approve", "--id", stale, "--signer", "dev-signer-1", "--yes");
        await dev.CommitAsync(DevService.Region("region:x", "Theirs"));
        await dev.CommitAsync(DevService.Region("region:unrelated"));
        using var before = JsonDocument.Parse((await dev.Ronctl.ExpectAsync(0, "registry", "proposals", "--id", stale, "--json")).Out);
        Assert.Equal("stale", before.RootElement[0].GetProperty("status").GetString());
        using var head = JsonDocument.Parse((await dev.Ronctl.ExpectAsync(0, "registry", "head", "--json")).Out);

        var result = await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--rebase", stale[..20], "--json");

        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        var proposal = root.GetProperty("proposal");
        var rebased = root.GetProperty("proposal_id").GetString()!;
        Assert.NotEqual(stale, rebased);
        Assert.Equal(stale, root.GetProperty("rebased_from").GetString());
        Assert.Equal(1, root.GetProperty("old_base_version").GetInt64());
        Assert.Equal(("ScopeConflict", "region:x", 2L), (root.GetProperty("stale").GetProperty("code").GetString(), root.GetProperty("stale").GetProperty("id").GetString(), root.GetProperty("stale").GetProperty("version").GetInt64()));
        Assert.Equal(3, proposal.GetProperty("base_version").GetInt64());
        Assert.Equal(head.RootElement.GetProperty("hash").GetString(), proposal.GetProperty("base_hash").GetString());
        Assert.Equal(1, proposal.GetProperty("signer_set_version").GetInt64());
        Assert.Equal(["region:x"], proposal.GetProperty("scope").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(before.RootElement[0].GetProperty("proposal").GetProperty("changes").GetRawText()), JsonNode.Parse(proposal.GetProperty("changes").GetRawText())));
        Assert.Equal("test", proposal.GetProperty("note").GetString());

        // The new proposal starts with no approvals (the old one had one) and commits after two.
        Assert.Contains("0/2 of 3", (await dev.Ronctl.ExpectAsync(0, "registry", "proposals", "--id", rebased)).Out, StringComparison.Ordinal);
        await dev.Ronctl.ExpectAsync(0, "registry", "approve", "--id", rebased, "--signer", "dev-signer-1", "--yes");
        await dev.Ronctl.ExpectAsync(0, "registry", "approve", "--id", rebased, "--signer", "dev-signer-2", "--yes");
        await dev.Ronctl.ExpectAsync(0, "registry", "commit", "--id", rebased);
        Assert.Contains("Mine", (await dev.Ronctl.ExpectAsync(0, "registry", "get", "--id", "region:x", "--json")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebase_TextOutput_NamesTheOldProposalAndTheNextStep()
    {
        await using var dev = await DevService.StartAsync();
        var stale = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("mine.json", DevService.Region("region:t", "Mine")))).Out);
        await dev.CommitAsync(DevService.Region("region:t", "Theirs"));

        var result = await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--rebase", stale, "--note", "rebased", "--expires-in", "2h");

        var rebased = DevService.ProposalId(result.Out);
        Assert.Contains("rebased from", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{stale} (base v0; stale: ", result.Out, StringComparison.Ordinal);
        Assert.Contains($"next: ronctl registry approve --id {rebased} --signer <signer>", result.Out, StringComparison.Ordinal);
        using var view = JsonDocument.Parse((await dev.Ronctl.ExpectAsync(0, "registry", "proposals", "--id", rebased, "--json")).Out);
        Assert.Equal("rebased", view.RootElement[0].GetProperty("proposal").GetProperty("note").GetString());
        Assert.Equal(1, view.RootElement[0].GetProperty("proposal").GetProperty("base_version").GetInt64());
    }

    [Fact]
    public async Task Rebase_PendingOrCommittedProposal_IsNotStale_ExitsConflictAndProposesNothing()
    {
        await using var dev = await DevService.StartAsync();
        var committed = await dev.CommitAsync(DevService.Region("region:done"));
        var pending = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("p.json", DevService.Region("region:open")))).Out);
        await dev.CommitAsync(DevService.Region("region:elsewhere"));

        var notStale = await dev.Ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "propose", "--rebase", pending, "--json");
        var done = await dev.Ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "propose", "--rebase", committed);

        using var error = JsonDocument.Parse(notStale.Out);
        Assert.Equal("NotStale", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("is pending, not stale", notStale.Error, StringComparison.Ordinal);
        Assert.Contains("is committed (version 1)", done.Error, StringComparison.Ordinal);
        using var open = JsonDocument.Parse((await dev.Ronctl.ExpectAsync(0, "registry", "proposals", "--json")).Out);
        Assert.Equal([pending], open.RootElement.EnumerateArray().Select(p => p.GetProperty("proposal_id").GetString()!).ToArray());
    }

    [Fact]
    public async Task Rebase_UnknownProposal_ExitsNotFound()
    {
        await using var dev = await DevService.StartAsync();
        var result = await dev.Ronctl.ExpectAsync(ExitCodes.NotFound, "registry", "propose", "--rebase", "sha256:" + new string('b', 64), "--json");
        Assert.Contains("\"code\": \"NotFound\"", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebase_UpdatedDescriptorDeletedSince_RefusesChangesNoLongerApply()
    {
        await using var dev = await DevService.StartAsync();
        await dev.CommitAsync(DevService.Region("region:a"), DevService.Node("node:n", "region:a"));
        var stale = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("move.json", DevService.Node("node:n", "region:a", "10.9.9.9:7000")))).Out);
        await dev.CommitAsync("{\"op\":\"delete\",\"id\":\"node:n\"}");

        var result = await dev.Ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "propose", "--rebase", stale, "--json");

        using var error = JsonDocument.Parse(result.Out);
        Assert.Equal("ChangesNoLongerApply", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("'node:n', which it updates, existed at its base v1 and has been deleted since (HEAD v2)", result.Error, StringComparison.Ordinal);
        await AssertOnlyOpenAsync(dev, stale);
    }

    [Fact]
    public async Task Rebase_ReferencedRegionDeletedSince_ServiceRefusesDanglingReference_NothingProposed()
    {
        await using var dev = await DevService.StartAsync();
        await dev.CommitAsync(DevService.Region("region:gone"), DevService.Region("region:stays"));
        var stale = DevService.ProposalId((await dev.Ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("node.json", DevService.Node("node:late", "region:gone")))).Out);
        await dev.CommitAsync("{\"op\":\"delete\",\"id\":\"region:gone\"}");

        var result = await dev.Ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "propose", "--rebase", stale, "--json");

        using var error = JsonDocument.Parse(result.Out);
        Assert.Equal("DanglingReference", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("no longer apply on HEAD v2", result.Error, StringComparison.Ordinal);
        await AssertOnlyOpenAsync(dev, stale);
    }

    [Theory]
    [InlineData("registry", "propose")]
    [InlineData("registry", "propose", "--file", "p.json", "--rebase", "sha256:abcdef")]
    public async Task Propose_NeitherOrBothOfFileAndRebase_ExitsUsage(params string[] args)
    {
        var result = await new RonctlRunner(Path.GetTempPath()).ExpectAsync(ExitCodes.Usage, args);
        Assert.Contains("exactly one of --file FILE, --rebase PROPOSAL_ID and --set-log-key VKEY", result.Error + result.Out, StringComparison.Ordinal);
    }

    private static async Task AssertOnlyOpenAsync(DevService dev, string proposalId)
    {
        using var open = JsonDocument.Parse((await dev.Ronctl.ExpectAsync(0, "registry", "proposals", "--json")).Out);
        Assert.Equal([proposalId], open.RootElement.EnumerateArray().Select(p => p.GetProperty("proposal_id").GetString()!).ToArray());
    }
}
