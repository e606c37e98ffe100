using System.Text.Json;
using System.Text.RegularExpressions;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;
using Registry.Core.Auth;
using Registry.Core.Transparency;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>
/// The RUNBOOK's log key rotation through ronctl against a real dev service (docs/PROTOCOL.md §12.14): keys from
/// <c>ronctl tlog keygen</c>, <c>ronctl registry propose --set-log-key</c> (a malformed vkey is a usage error before
/// anything is sent), approvals by two of the three dev signers, commit; then <c>ronctl verify --dev</c> verifies the
/// chain with the rotation in it, and <c>ronctl registry verify-descriptor</c> with only the old key refuses the new
/// checkpoint unless it follows the chain from the trust roots (<c>--dev</c>), which accepts it under the new key; and
/// RUNBOOK.md 6.12 run as written, ending with <c>ronctl verify --data-dir</c> of the stopped service.
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

    /// <summary>
    /// RUNBOOK.md 6.12, every command of its bash blocks as written, in order, with /etc/svc-registry/ and the
    /// placeholders mapped to a temporary directory and the values earlier commands printed (DocCommandTests counts
    /// these commands as run here). Each <c>sudo systemctl restart svc-registry</c> restarts the real process with the
    /// configuration the step before it describes: the next key staged, then the new key promoted.
    /// </summary>
    [Fact]
    public async Task RunbookLogKeyRotation_EveryCommandWorksAsWritten()
    {
        var runbook = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepoRoot, "RUNBOOK.md"));
        var start = runbook.IndexOf("### 6.12 Rotate the transparency log key", StringComparison.Ordinal);
        var end = runbook.IndexOf("## 7. Backup and restore", start, StringComparison.Ordinal);
        Assert.True(start > 0 && end > start, "RUNBOOK.md has no section 6.12");
        var commands = BashLines(runbook[start..end]);
        Assert.Equal(
            [
                "ronctl tlog keygen --registry <registry_id> --out /etc/svc-registry/tlog-next.key",
                "sudo systemctl restart svc-registry",
                "ronctl registry propose --set-log-key <new_vkey>",
                "ronctl registry approve --id <proposal> --signer <signer> --yes",
                "ronctl registry commit --id <proposal>",
                "ronctl verify --trust-roots /etc/svc-registry/trust-roots.json",
                "ronctl registry verify-descriptor <id> --log-key <old_vkey> --trust-roots /etc/svc-registry/trust-roots.json",
                "sudo systemctl restart svc-registry",
            ],
            commands);

        var etc = Directory.CreateTempSubdirectory("ronctl-runbook-logkey-").FullName;
        var dataDir = Directory.CreateDirectory(Path.Combine(etc, "data")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(etc, "trust-roots.json"), DevCredentials.Genesis("ron-dev").ToTrustRootsDocument());
        var setup = new RonctlRunner(etc);
        var oldKey = Vkey(await setup.ExpectAsync(0, "tlog", "keygen", "--registry", "ron-dev", "--out", "tlog.key", "--json"));
        var env = new Dictionary<string, string> { ["SVCR_TRUST__LOG_KEY"] = oldKey, ["SVCR_TRUST__LOG_KEY_FILE"] = Path.Combine(etc, "tlog.key") };
        var service = await RegistryProcess.StartAsync(dataDir, ["--data-dir", dataDir], env);
        try
        {
            var ronctl = await RonctlAsync(etc, service);
            var dev = new DevServiceCommits(ronctl, etc);
            await dev.CommitAsync(DevService.Region("region:eu"));
            var (newKey, proposal, restarts) = (string.Empty, string.Empty, 0);
            var outputs = new List<string>();
            foreach (var command in commands)
            {
                if (command == "sudo systemctl restart svc-registry")
                {
                    Assert.Equal(0, await service.StopAsync());
                    await service.DisposeAsync();
                    env = restarts++ == 0
                        ? new Dictionary<string, string>(env) { ["SVCR_TRUST__NEXT_LOG_KEY_FILE"] = Path.Combine(etc, "tlog-next.key") }
                        : new Dictionary<string, string> { ["SVCR_TRUST__LOG_KEY"] = newKey, ["SVCR_TRUST__LOG_KEY_FILE"] = Path.Combine(etc, "tlog-next.key") };
                    service = await RegistryProcess.StartAsync(dataDir, ["--data-dir", dataDir], env);
                    ronctl = await RonctlAsync(etc, service);
                    continue;
                }

                var line = command.Replace("/etc/svc-registry/", etc + "/", StringComparison.Ordinal)
                    .Replace("<registry_id>", "ron-dev", StringComparison.Ordinal)
                    .Replace("<new_vkey>", newKey, StringComparison.Ordinal)
                    .Replace("<old_vkey>", oldKey, StringComparison.Ordinal)
                    .Replace("<proposal>", proposal, StringComparison.Ordinal)
                    .Replace("<id>", "region:eu", StringComparison.Ordinal);
                foreach (var signer in line.Contains("<signer>", StringComparison.Ordinal) ? ["dev-signer-1", "dev-signer-2"] : new[] { string.Empty })
                {
                    var output = (await ronctl.ExpectAsync(0, line.Replace("<signer>", signer, StringComparison.Ordinal).Split(' ')[1..])).Out;
                    outputs.Add(output);
                    newKey = newKey.Length > 0 ? newKey : Regex.Match(output, @"log_key\s+(ron-dev\+[0-9a-f]{8}\+\S+)").Groups[1].Value;
                    proposal = command.Contains("--set-log-key", StringComparison.Ordinal) ? DevService.ProposalId(output) : proposal;
                }
            }

            Assert.StartsWith("ron-dev+", newKey, StringComparison.Ordinal);
            Assert.Contains(outputs, o => o.Contains("ok: verified 2 commits", StringComparison.Ordinal));
            var newKeyId = NoteVerifierKey.Parse(newKey).KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(outputs, o => Regex.IsMatch(o, @"log_key\s+ron-dev\+" + newKeyId + ": signature and freshness line verified"));

            // After the promotion: the service signs with the new key.
            var promoted = await ronctl.ExpectAsync(0, "registry", "verify-descriptor", "region:eu", "--log-key", newKey);
            Assert.Contains("ron-dev size 3", promoted.Out, StringComparison.Ordinal);

            // Offline, the stopped data directory (its checkpoints hold the key in force) verifies with the rotation in it.
            Assert.Equal(0, await service.StopAsync());
            Assert.Contains("result: OK", (await ronctl.ExpectAsync(0, "verify", "--data-dir", dataDir, "--dev")).Out, StringComparison.Ordinal);
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    private static async Task<RonctlRunner> RonctlAsync(string directory, RegistryProcess service)
    {
        var ronctl = new RonctlRunner(directory, new Dictionary<string, string>
        {
            ["RON_REGISTRY_URL"] = $"http://127.0.0.1:{service.ApiPort}",
            ["RON_ADMIN_URL"] = $"http://127.0.0.1:{service.AdminPort}",
            ["RON_KEY_DIR"] = Path.Combine(directory, "keys"),
        });
        ronctl.Environment["RON_TOKEN"] = (await ronctl.ExpectAsync(0, "dev", "token")).Out.Trim();
        foreach (var n in new[] { "1", "2", "3" }.Where(n => !File.Exists(Path.Combine(directory, "keys", $"dev-signer-{n}.key"))))
        {
            await ronctl.ExpectAsync(0, "dev", "key", n);
        }

        return ronctl;
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

    // propose, approve by dev signers 1 and 2, commit, through ronctl (DevService's, for a service this test restarts).
    private sealed class DevServiceCommits(RonctlRunner ronctl, string directory)
    {
        public async Task CommitAsync(string change)
        {
            var file = $"p-{Guid.NewGuid():N}.json";
            await File.WriteAllTextAsync(Path.Combine(directory, file), "{\"changes\":[" + change + "]}");
            var id = DevService.ProposalId((await ronctl.ExpectAsync(0, "registry", "propose", "--file", file)).Out);
            await ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-1", "--yes");
            await ronctl.ExpectAsync(0, "registry", "approve", "--id", id, "--signer", "dev-signer-2", "--yes");
            await ronctl.ExpectAsync(0, "registry", "commit", "--id", id);
        }
    }

    private static string Vkey(RonctlResult result)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty("log_key").GetString()!;
    }
}
