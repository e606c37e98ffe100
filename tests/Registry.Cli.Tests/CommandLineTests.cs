using System.CommandLine;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>Help on every command, usage errors, completion, and the exit codes of service failures.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task Help_EveryCommand_ExitsZeroWithUsage()
    {
        var ronctl = new RonctlRunner(Path.GetTempPath());
        var root = Ronctl.BuildRoot(CliEnvironment.Captured(TextWriter.Null, TextWriter.Null, null, _ => null, Path.GetTempPath()));
        var paths = new List<string[]>();
        void Walk(Command command, string[] path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, [.. path, sub.Name]);
            }
        }

        Walk(root, []);
        Assert.True(paths.Count > 25, $"{paths.Count} commands");
        foreach (var path in paths)
        {
            var result = await ronctl.ExpectAsync(0, [.. path, "--help"]);
            Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        }

        var top = await ronctl.ExpectAsync(0, "--help");
        Assert.Contains("7  verification failed", top.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("registry", "frobnicate")]
    [InlineData("registry", "commit")]
    [InlineData("chaos", "inject", "--target", "svc-other", "--fault=storage-latency", "--ms=50")]
    [InlineData("registry", "log", "--limit", "5000")]
    [InlineData("keygen", "--id", "Not Valid")]
    public async Task BadCommandLine_AnyCommand_ExitsUsage(params string[] args) =>
        await new RonctlRunner(Path.GetTempPath()).ExpectAsync(ExitCodes.Usage, args);

    [Fact]
    public async Task SuggestDirective_PartialSubcommand_CompletesIt()
    {
        var ronctl = new RonctlRunner(Path.GetTempPath());
        var result = await ronctl.ExpectAsync(0, "[suggest:18]", "ronctl registry ap");
        Assert.Contains("approve", result.Out.Split('\n', StringSplitOptions.TrimEntries));
        Assert.Contains("ronctl \"[suggest:", (await ronctl.ExpectAsync(0, "completion", "bash")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keygen_SecondTimeWithForce_ReplacesTheOwnerOnlyFile()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-keygen-").FullName;
        var ronctl = new RonctlRunner(dir);
        var first = await ronctl.ExpectAsync(0, "keygen", "--id", "signer-k", "--out", "k.key");
        Assert.Contains("signer-k", first.Out, StringComparison.Ordinal);
        var before = await File.ReadAllTextAsync(Path.Combine(dir, "k.key"));
        await ronctl.ExpectAsync(ExitCodes.Usage, "keygen", "--id", "signer-k", "--out", "k.key");
        await ronctl.ExpectAsync(0, "keygen", "--id", "signer-k", "--out", "k.key", "--force");
        Assert.NotEqual(before, await File.ReadAllTextAsync(Path.Combine(dir, "k.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, "k.key")));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task NothingListening_ReadCommand_ExitsUnreachable()
    {
        var ronctl = new RonctlRunner(Path.GetTempPath(), new Dictionary<string, string> { ["REGISTRY_ADDR"] = $"0.0.0.0:{RegistryProcess.FreePort()}" });
        var result = await ronctl.ExpectAsync(ExitCodes.Unreachable, "registry", "head", "--json");
        Assert.Contains("\"code\": \"Unreachable\"", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServiceRejections_EachKind_MapsToItsExitCode()
    {
        await using var dev = await DevService.StartAsync();
        var ronctl = dev.Ronctl;
        await ronctl.ExpectAsync(ExitCodes.NotFound, "registry", "get", "42");
        await ronctl.ExpectAsync(ExitCodes.NotFound, "registry", "get", "--id", "node:nowhere");
        await ronctl.ExpectAsync(ExitCodes.NotFound, "registry", "proposals", "--id", "sha256:" + new string('a', 64));

        var file = dev.ProposalFile("codes.json", DevService.Region("region:codes"));
        ronctl.Environment["RON_TOKEN"] = "rcap1.not-a-token";
        await ronctl.ExpectAsync(ExitCodes.Auth, "registry", "propose", "--file", file);
        ronctl.Environment["RON_TOKEN"] = (await ronctl.ExpectAsync(0, "dev", "token")).Out.Trim();

        await File.WriteAllTextAsync(Path.Combine(dev.Directory, "bad.json"), """{"changes":[{"op":"explode"}]}""");
        await ronctl.ExpectAsync(ExitCodes.Usage, "registry", "propose", "--file", "bad.json");
        await ronctl.ExpectAsync(ExitCodes.Usage, "registry", "propose", "--file", "missing.json");
        await File.WriteAllTextAsync(Path.Combine(dev.Directory, "dangling.json"), "{\"changes\":[" + DevService.Node("node:x", "region:missing") + "]}");
        await ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "propose", "--file", "dangling.json");

        var id = DevService.ProposalId((await ronctl.ExpectAsync(0, "registry", "propose", "--file", file)).Out);
        await ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "commit", "--id", id);
        await ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes");
        var duplicate = await ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes", "--json");
        Assert.Contains("DuplicateApproval", duplicate.Out, StringComparison.Ordinal);

        var other = DevService.ProposalId((await ronctl.ExpectAsync(0, "registry", "propose", "--file", dev.ProposalFile("other.json", DevService.Region("region:codes", "Other")))).Out);
        await ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-2", "--yes");
        await ronctl.ExpectAsync(0, "registry", "approve", "--id", other, "--signer", "dev-signer-1", "--yes");
        await ronctl.ExpectAsync(0, "registry", "approve", "--id", other, "--signer", "dev-signer-2", "--yes");
        await ronctl.ExpectAsync(0, "registry", "commit", "--id", id);
        var stale = await ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "commit", "--id", other);
        Assert.Contains("ScopeConflict", stale.Error, StringComparison.Ordinal);
        Assert.Contains("'region:codes'", stale.Error, StringComparison.Ordinal);
    }
}
