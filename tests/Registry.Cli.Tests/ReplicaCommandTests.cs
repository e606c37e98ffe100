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
        await HeardFromItsPrimaryAsync(replica);
        var primaryAdmin = $"http://127.0.0.1:{primary.AdminPort}";
        await primary.KillAsync();
        await primary.DisposeAsync();

        var promoted = await ronctl.ExpectAsync(0, "--admin", $"http://127.0.0.1:{replica.AdminPort}", "replica", "promote");
        Assert.Contains(": unreachable", promoted.Out, StringComparison.Ordinal);
        Assert.Contains("does not answer", promoted.Out, StringComparison.Ordinal);
        await ronctl.ExpectAsync(6, "--admin", primaryAdmin, "replica", "demote");
    }

    // A replica is promoted past a gone primary only when it holds the HEAD it last saw from it: wait until it has seen
    // one (its /readyz replica member names the upstream hash and says in sync), or the promotion is rightly refused.
    private static async Task HeardFromItsPrimaryAsync(RegistryProcess replica)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var ready = System.Text.Json.JsonDocument.Parse(await replica.Admin.GetStringAsync("/readyz", deadline.Token));
            var status = ready.RootElement.GetProperty("replica");
            if (status.GetProperty("in_sync").GetBoolean() && status.GetProperty("upstream_hash").ValueKind == System.Text.Json.JsonValueKind.String)
            {
                return;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>
    /// RUNBOOK.md 6.9's blue/green procedure, every command of its bash blocks as written, in order, with blue and
    /// green's documented addresses rewritten to two real processes (DocCommandTests counts these commands as run
    /// here). <c>sudo systemctl restart svc-registry</c> is blue's restart with <c>replica.primary</c> set to green.
    /// </summary>
    [Fact]
    public async Task RunbookBlueGreenProcedure_EveryCommandWorksAsWritten()
    {
        var runbook = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "RUNBOOK.md"));
        var start = runbook.IndexOf("**Blue/green upgrade.**", StringComparison.Ordinal);
        var end = runbook.IndexOf("Rollback is the same procedure", start, StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "RUNBOOK.md 6.9 has no blue/green procedure");
        var commands = BashLines(runbook[start..end]);
        Assert.Equal(
            ["ronctl --admin http://10.0.0.2:9909 replica status", "ronctl --admin http://10.0.0.1:9909 replica demote", "ronctl --admin http://10.0.0.2:9909 replica promote", "sudo systemctl restart svc-registry", "ronctl --admin http://10.0.0.1:9909 replica status"],
            commands);

        var blueDir = Directory.CreateTempSubdirectory("ronctl-blue-").FullName;
        var blue = await RegistryProcess.StartAsync(blueDir);
        var blueApi = blue.ApiPort;
        await using var green = await RegistryProcess.StartAsync(args: ["--amnesia", "--follow", $"http://127.0.0.1:{blue.ApiPort}"]);
        try
        {
            var ronctl = new RonctlRunner(Directory.CreateTempSubdirectory("ronctl-runbook-").FullName);
            ronctl.Environment["RON_TOKEN"] = (await ronctl.ExpectAsync(0, "dev", "token")).Out.Trim();
            var outputs = new List<string>();
            foreach (var command in commands)
            {
                if (command == "sudo systemctl restart svc-registry")
                {
                    await blue.StopAsync();
                    await blue.DisposeAsync();
                    blue = await RegistryProcess.StartAsync(blueDir, ["--data-dir", blueDir, "--follow", $"http://127.0.0.1:{green.ApiPort}"]);
                    continue;
                }

                var args = command.Replace("http://10.0.0.1:9909", $"http://127.0.0.1:{blue.AdminPort}", StringComparison.Ordinal)
                    .Replace("http://10.0.0.2:9909", $"http://127.0.0.1:{green.AdminPort}", StringComparison.Ordinal)
                    .Split(' ')[1..];
                outputs.Add((await ronctl.ExpectAsync(0, args)).Out);
            }

            Assert.Contains("role      replica", outputs[0], StringComparison.Ordinal);
            Assert.Contains("demoted at version 0", outputs[1], StringComparison.Ordinal);
            Assert.Contains($"old primary http://127.0.0.1:{blueApi}/: demoted", outputs[2], StringComparison.Ordinal);
            Assert.Contains("role      replica", outputs[3], StringComparison.Ordinal);
            Assert.Contains($"follows   http://127.0.0.1:{green.ApiPort}/", outputs[3], StringComparison.Ordinal);
        }
        finally
        {
            await blue.DisposeAsync();
        }
    }

    private static List<string> BashLines(string markdown)
    {
        var lines = new List<string>();
        var inBlock = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock && line == "```bash";
                continue;
            }

            if (inBlock && line.Length > 0 && !line.StartsWith('#'))
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
