using Registry.Cli.Tests.Support;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>
/// Every ronctl command the upstream runbook (a copy in TestData/svc-registry-RUNBOOK.md, see TestData/README.md) and docs/CLI.md show is
/// run, as written and in document order, against a real dev-mode svc-registry. Placeholders: &lt;proposal&gt; is
/// the id the propose step printed, &lt;signerA&gt;/&lt;signerB&gt; are dev signers 1 and 2 (whose key files are in
/// RON_KEY_DIR). The environment is what an operator's shell would have: the service's addresses, a token, the
/// key directory, the capabilities file and (for the runbook) the bus socket; the runbook's service has [chaos]
/// enabled, as its drills assume (the disabled case is in ConfigAndOpsTests).
/// </summary>
public sealed class RunbookTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    // SHA-256 of the upstream runbook as copied (TestData/README.md names it too).
    private const string UpstreamRunbookSha256 = "0cf1464c8de4d43eeebdfc7cc1f7d3d3c4dd37042a4c17b65fae68837e848f28";

    private static string UpstreamRunbookPath => Path.Combine(TestPaths.RepoRoot, "tests", "Registry.Cli.Tests", "TestData", "svc-registry-RUNBOOK.md");

    [Fact]
    public void UpstreamRunbookCopy_IsTheUpstreamBytes_AndTheReadmeNamesItsDigest()
    {
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(UpstreamRunbookPath)));
        Assert.Equal(UpstreamRunbookSha256, actual);
        var readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(UpstreamRunbookPath)!, "README.md"));
        Assert.Contains(UpstreamRunbookSha256, readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamRunbook_EveryRonctlCommand_WorksAsWritten()
    {
        var path = UpstreamRunbookPath;
        var commands = MarkdownCommands.Extract(path);
        Assert.Equal(8, commands.Count);

        var busDir = Directory.CreateTempSubdirectory("ronbus-").FullName;
        var bus = Path.Combine(busDir, "bus.sock");
        await using var dev = await DevService.StartAsync(
            serviceEnvironment: new Dictionary<string, string> { ["RON_BUS_SOCK"] = bus, ["SVCR_CHAOS__ENABLED"] = "true" },
            ronctlEnvironment: new Dictionary<string, string> { ["RON_BUS_SOCK"] = bus });
        await RunAllAsync(dev, commands);
        Directory.Delete(busDir, recursive: true);
    }

    [Fact]
    public async Task ReadmeAndCliDoc_ExampleSession_WorksAsWritten()
    {
        // README.md's shell examples first (none use ronctl today; any that do are run too), then docs/CLI.md's session.
        var commands = MarkdownCommands.Extract(Path.Combine(TestPaths.RepoRoot, "README.md"), "bash")
            .Where(c => c.Length > 0)
            .Concat(MarkdownCommands.Extract(Path.Combine(TestPaths.RepoRoot, "docs", "CLI.md"), "bash"))
            .ToList();
        Assert.True(commands.Count >= 15, $"{commands.Count} commands");
        await using var dev = await DevService.StartAsync(writeDevKeys: false);
        await RunAllAsync(dev, commands);
    }

    private static async Task RunAllAsync(DevService dev, List<string[]> commands)
    {
        var ronctl = dev.Ronctl;
        ronctl.Environment["RON_CAPABILITIES_FILE"] = Path.Combine(dev.Directory, "capabilities.json");
        dev.ProposalFile("sample.json", DevService.Region("region:eu-west", "EU West"), DevService.Node("node:eu-west-1", "region:eu-west", "10.1.0.1:7000"));

        using var stopTail = new CancellationTokenSource();
        var tailOutput = new CapturingWriter();
        Task<RonctlResult>? tail = null;
        var proposal = "<no proposal yet>";
        var committed = false;
        foreach (var written in commands)
        {
            var args = written.Select(a => a switch
            {
                "<proposal>" => proposal,
                "<signerA>" => "dev-signer-1",
                "<signerB>" => "dev-signer-2",
                _ => a,
            }).ToArray();
            var line = "ronctl " + string.Join(' ', written);

            // A follower without --count runs until stopped: start it, and check it saw the commit at the end.
            if (args[0] == "tail" && !args.Contains("--count"))
            {
                tail = ronctl.RunAsync(args, null, stopTail.Token, tailOutput);
                continue;
            }

            // An approval without --yes asks; the operator answers yes.
            var stdin = args is ["registry", "approve", ..] && !args.Contains("--yes") ? "y\n" : null;
            var result = await ronctl.RunAsync(args, stdin, CancellationToken.None).WaitAsync(s_deadline);
            Assert.True(result.ExitCode == 0, $"{line}: expected exit 0\n{result}");
            switch (args)
            {
                case ["registry", "propose", ..]:
                    proposal = DevService.ProposalId(result.Out);
                    break;
                case ["registry", "approve", ..]:
                    Assert.Contains("node:eu-west-1", result.Out, StringComparison.Ordinal);
                    break;
                case ["registry", "commit", ..]:
                    committed = true;
                    break;
                case ["config", "print", ..]:
                    Assert.Contains("[service]", result.Out, StringComparison.Ordinal);
                    break;
                case ["chaos", "inject", ..]:
                    Assert.Contains("injected storage-latency 50 ms", result.Out, StringComparison.Ordinal);
                    await ronctl.ExpectAsync(0, "chaos", "clear", "--target", "svc-registry");
                    break;
                case ["cap", "rotate", ..]:
                    Assert.True(File.Exists(ronctl.Environment["RON_CAPABILITIES_FILE"]));
                    break;
            }
        }

        Assert.True(committed, "the commands committed nothing");
        if (tail is not null)
        {
            await tailOutput.WaitForAsync(text => text.Contains("registry.updated", StringComparison.Ordinal) && text.Contains("version=1", StringComparison.Ordinal), s_deadline);
            await stopTail.CancelAsync();
            await tail.WaitAsync(s_deadline);
        }
    }
}
