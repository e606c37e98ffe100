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
}
