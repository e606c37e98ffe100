using Registry.Cli.Tests.Support;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>
/// <c>ronctl replica status|demote|promote</c> against real processes (docs/REPLICATION.md "Promotion", RUNBOOK.md 6.9):
/// promote refuses (exit 4) while the old primary takes writes and says so; demote freezes the primary; promote then
/// succeeds and names what the old primary answered; promote of a node whose old primary is gone says unreachable;
/// an unreachable admin listener exits 6.
/// </summary>
public sealed class ReplicaCommandTests
{
    [Fact]
    public async Task ReplicaPromote_RefusesWhileThePrimaryIsWritable_ThenPromotesOnceItIsDemoted()
    {
        await using var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using var replica = await RegistryProcess.StartAsync(args: ["--amnesia", "--follow", $"http://127.0.0.1:{primary.ApiPort}"]);
        var dir = Directory.CreateTempSubdirectory("ronctl-replica-").FullName;
        var ronctl = new RonctlRunner(dir);
        ronctl.Environment["RON_TOKEN"] = (await ronctl.ExpectAsync(0, "dev", "token")).Out.Trim();
        var onPrimary = $"http://127.0.0.1:{primary.AdminPort}";
        var onReplica = $"http://127.0.0.1:{replica.AdminPort}";

        var status = await ronctl.ExpectAsync(0, "--admin", onReplica, "replica", "status");
        Assert.Contains("role      replica", status.Out, StringComparison.Ordinal);
        Assert.Contains($"follows   http://127.0.0.1:{primary.ApiPort}/", status.Out, StringComparison.Ordinal);

        var refused = await ronctl.ExpectAsync(4, "--admin", onReplica, "replica", "promote", "--wait", "0");
        Assert.Contains("still takes writes", refused.Error, StringComparison.Ordinal);
        Assert.Contains("RoleChangeRefused", refused.Error, StringComparison.Ordinal);

        var demoted = await ronctl.ExpectAsync(0, "--admin", onPrimary, "replica", "demote");
        Assert.Contains("demoted at version 0", demoted.Out, StringComparison.Ordinal);

        var promoted = await ronctl.ExpectAsync(0, "--admin", onReplica, "--json", "replica", "promote");
        Assert.Contains("\"role\": \"primary\"", promoted.Out, StringComparison.Ordinal);
        Assert.Contains("\"old_primary_state\": \"demoted\"", promoted.Out, StringComparison.Ordinal);
        Assert.Contains("role      primary", (await ronctl.ExpectAsync(0, "--admin", onReplica, "replica", "status")).Out, StringComparison.Ordinal);

        // A demoted primary is not a replica: promote refuses it unless the demotion is undone on purpose.
        Assert.Contains("demoted primary", (await ronctl.ExpectAsync(4, "--admin", onPrimary, "replica", "promote")).Error, StringComparison.Ordinal);
        Assert.Contains("role      demoted", (await ronctl.ExpectAsync(0, "--admin", onPrimary, "replica", "status")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicaPromote_WithThePrimaryGone_SaysUnreachable_AndAnUnreachableNodeExits6()
    {
        var primary = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using var replica = await RegistryProcess.StartAsync(args: ["--amnesia", "--follow", $"http://127.0.0.1:{primary.ApiPort}"]);
        var dir = Directory.CreateTempSubdirectory("ronctl-replica-").FullName;
        var ronctl = new RonctlRunner(dir);
        ronctl.Environment["RON_TOKEN"] = (await ronctl.ExpectAsync(0, "dev", "token")).Out.Trim();
        await ronctl.ExpectAsync(0, "--admin", $"http://127.0.0.1:{replica.AdminPort}", "replica", "status");
        var primaryAdmin = $"http://127.0.0.1:{primary.AdminPort}";
        await primary.KillAsync();
        await primary.DisposeAsync();

        var promoted = await ronctl.ExpectAsync(0, "--admin", $"http://127.0.0.1:{replica.AdminPort}", "replica", "promote");
        Assert.Contains(": unreachable", promoted.Out, StringComparison.Ordinal);
        Assert.Contains("does not answer", promoted.Out, StringComparison.Ordinal);
        await ronctl.ExpectAsync(6, "--admin", primaryAdmin, "replica", "demote");
    }
}
