using System.Text.Json;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;

namespace Registry.Cli.Tests;

/// <summary>
/// The RUNBOOK's log key rotation through ronctl against a real dev service (docs/PROTOCOL.md §12.14): keys from
/// <c>ronctl tlog keygen</c>, <c>ronctl registry propose --set-log-key</c> (a malformed vkey is a usage error before
/// anything is sent), approvals by two of the three dev signers, commit; then <c>ronctl verify --dev</c> verifies the
/// chain with the rotation in it, and <c>ronctl registry verify-descriptor</c> with only the old key refuses the new
/// checkpoint unless it follows the chain from the trust roots (<c>--dev</c>), which accepts it under the new key.
/// </summary>
public sealed class LogKeyRotationTests
{
    [Fact]
    public async Task ProposeSetLogKey_ApprovedAndCommitted_VerifyDescriptorFollowsTheChainToTheNewKey()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-logkey-").FullName;
        var keys = new RonctlRunner(dir);
        var oldKey = Vkey(await keys.ExpectAsync(0, "tlog", "keygen", "--registry", "ron-dev", "--out", "tlog.key", "--json"));
        var newKey = Vkey(await keys.ExpectAsync(0, "tlog", "keygen", "--registry", "ron-dev", "--out", "tlog-next.key", "--json"));
        await using var dev = await DevService.StartAsync(new Dictionary<string, string>
        {
            ["SVCR_TRUST__LOG_KEY"] = oldKey,
            ["SVCR_TRUST__LOG_KEY_FILE"] = Path.Combine(dir, "tlog.key"),
            ["SVCR_TRUST__NEXT_LOG_KEY_FILE"] = Path.Combine(dir, "tlog-next.key"),
        });
        await dev.CommitAsync(DevService.Region("region:eu"));
        var ronctl = dev.Ronctl;

        var malformed = await ronctl.ExpectAsync(ExitCodes.Usage, "registry", "propose", "--set-log-key", "ron-dev+00000000+AQ==");
        Assert.Contains("--set-log-key", malformed.Error, StringComparison.Ordinal);
        await ronctl.ExpectAsync(ExitCodes.Usage, "registry", "propose", "--set-log-key", newKey, "--file", "x.json");

        var proposed = await ronctl.ExpectAsync(0, "registry", "propose", "--set-log-key", newKey);
        Assert.Contains("set_log_key ron-dev+", proposed.Out, StringComparison.Ordinal);
        var id = DevService.ProposalId(proposed.Out);
        await ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes");
        await ronctl.ExpectAsync(ExitCodes.Conflict, "registry", "commit", "--id", id);
        await ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-2", "--yes");
        await ronctl.ExpectAsync(0, "registry", "commit", "--id", id);
        await dev.CommitAsync(DevService.Region("region:us"));

        var verified = await ronctl.ExpectAsync(0, "verify", "--dev");
        Assert.Contains("ok: verified 3 commits", verified.Out, StringComparison.Ordinal);

        var pinned = await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "registry", "verify-descriptor", "region:us", "--log-key", oldKey);
        Assert.Contains("(BadLogSignature)", pinned.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "verify-descriptor", "region:us", "--log-key", oldKey, "--dev", "--json")).Out);
        Assert.Equal(newKey, json.RootElement.GetProperty("log_key").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("checkpoint").GetProperty("size").GetInt64());
    }

    private static string Vkey(RonctlResult result)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("log_key").GetString()!;
    }
}
