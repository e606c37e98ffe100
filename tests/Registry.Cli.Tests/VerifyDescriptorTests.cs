using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Registry.Cli.Infrastructure;
using Registry.Cli.Tests.Support;
using Registry.Core.Transparency;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>
/// <c>ronctl registry verify-descriptor ID</c> against a real primary with a real witness node, keys made by
/// <c>ronctl tlog keygen</c>: verified (exit 0, printing what was checked) with the log key and witness policy from the
/// flags or from the configuration file; refused (exit 7, the reason's name) by another log key or a witness that did
/// not cosign; 3 for a missing descriptor, 2 for bad flags; <c>--state</c> keeps the newest trusted checkpoint.
/// </summary>
public sealed class VerifyDescriptorTests
{
    [Fact]
    public async Task VerifyDescriptor_WithLogKeyAndWitnessPolicy_VerifiesOrExitsSevenNamingTheReason()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-vd-").FullName;
        var keys = new RonctlRunner(dir);
        var logKey = Vkey(await keys.ExpectAsync(0, "tlog", "keygen", "--registry", "ron-dev", "--out", "tlog.key", "--json"), "log_key");
        var witnessKey = Vkey(await keys.ExpectAsync(0, "tlog", "keygen", "--witness", "witness.test/w1", "--out", "witness.key", "--json"), "witness_key");
        var otherWitness = Vkey(await keys.ExpectAsync(0, "tlog", "keygen", "--witness", "witness.test/w2", "--out", "other.key", "--json"), "witness_key");
        var otherLog = Vkey(await keys.ExpectAsync(0, "tlog", "keygen", "--registry", "ron-dev", "--out", "other-log.key", "--json"), "log_key");
        await keys.ExpectAsync(ExitCodes.Usage, "tlog", "keygen", "--registry", "ron-dev", "--witness", "w", "--out", "both.key");

        await using var witness = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string>
        {
            ["SVCR_WITNESS__KEY_FILE"] = Path.Combine(dir, "witness.key"),
            ["SVCR_WITNESS__LOGS"] = logKey,
        });
        var witnesses = $"http://127.0.0.1:{witness.ApiPort} {witnessKey}";
        await using var dev = await DevService.StartAsync(new Dictionary<string, string>
        {
            ["SVCR_TRUST__LOG_KEY"] = logKey,
            ["SVCR_TRUST__LOG_KEY_FILE"] = Path.Combine(dir, "tlog.key"),
            ["SVCR_TLOG__WITNESSES"] = witnesses,
        });
        await dev.CommitAsync(DevService.Region("region:eu"));
        await CosignedAsync(dev.Service, 2, NoteVerifierKey.Parse(witnessKey));
        var ronctl = dev.Ronctl;

        var verified = await ronctl.ExpectAsync(0, "registry", "verify-descriptor", "region:eu", "--log-key", logKey, "--witness", witnessKey);
        Assert.Contains("region:eu", verified.Out, StringComparison.Ordinal);
        Assert.Contains("1 of 1 cosigned, 1 required (witness.test/w1)", verified.Out, StringComparison.Ordinal);
        Assert.Contains("ron-dev size 2 root sha256:", verified.Out, StringComparison.Ordinal);

        // The same policy from a configuration file: trust.log_key and the keys of tlog.witnesses.
        var config = Path.Combine(dev.Directory, "svc-registry.toml");
        await File.WriteAllTextAsync(config, $"[trust]\nlog_key = \"{logKey}\"\n\n[tlog]\nwitnesses = \"{witnesses}\"\n");
        using (var json = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "verify-descriptor", "region:eu", "--config", config, "--witness-threshold", "1", "--json")).Out))
        {
            Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
            Assert.Equal(2, json.RootElement.GetProperty("checkpoint").GetProperty("size").GetInt64());
            Assert.Equal("witness.test/w1", json.RootElement.GetProperty("witnesses")[0].GetString());
        }

        var unwitnessed = await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "registry", "verify-descriptor", "region:eu", "--log-key", logKey, "--witness", witnessKey, "--witness", otherWitness, "--json");
        using (var json = JsonDocument.Parse(unwitnessed.Out))
        {
            Assert.Equal("TooFewCosignatures", json.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        var wrongKey = await ronctl.ExpectAsync(ExitCodes.VerificationFailed, "registry", "verify-descriptor", "region:eu", "--log-key", otherLog);
        Assert.Contains("(BadLogSignature)", wrongKey.Error, StringComparison.Ordinal);
        await ronctl.ExpectAsync(ExitCodes.NotFound, "registry", "verify-descriptor", "region:none", "--log-key", logKey);
        await ronctl.ExpectAsync(ExitCodes.Usage, "registry", "verify-descriptor", "region:eu", "--log-key", "not-a-key");
        await ronctl.ExpectAsync(ExitCodes.Usage, "registry", "verify-descriptor", "region:eu", "--log-key", logKey, "--witness", witnessKey, "--witness-threshold", "2");

        // --state: the first run trusts on first use and writes the checkpoint; the next proves it grew from there.
        await ronctl.ExpectAsync(0, "registry", "verify-descriptor", "region:eu", "--log-key", logKey, "--state", "trusted.checkpoint");
        Assert.StartsWith("ron-dev\n2\n", await File.ReadAllTextAsync(Path.Combine(dev.Directory, "trusted.checkpoint")), StringComparison.Ordinal);
        await dev.CommitAsync(DevService.Region("region:us"));
        // With witnesses configured, a checkpoint is served only after its witness round: wait for the size-3 one.
        await CosignedAsync(dev.Service, 3, NoteVerifierKey.Parse(witnessKey));
        var grown = await ronctl.ExpectAsync(0, "registry", "verify-descriptor", "region:eu", "--log-key", logKey, "--state", "trusted.checkpoint");
        Assert.Contains("extends the trusted checkpoint of size 2", grown.Out, StringComparison.Ordinal);
        Assert.StartsWith("ron-dev\n3\n", await File.ReadAllTextAsync(Path.Combine(dev.Directory, "trusted.checkpoint")), StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }

    private static string Vkey(RonctlResult result, string member)
    {
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.GetProperty(member).GetString()!;
    }

    // Reads the stream until a checkpoint frame of this size that the witness cosigned.
    private static async Task CosignedAsync(RegistryProcess node, long size, NoteVerifierKey witness)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await node.Api.GetAsync("/registry/stream?from=0", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        await using var body = await response.Content.ReadAsStreamAsync(cancel.Token);
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancel.Token))
        {
            if (item.EventType == "checkpoint")
            {
                using var data = JsonDocument.Parse(item.Data);
                if (data.RootElement.GetProperty("size").GetInt64() == size
                    && SignedNote.TryParse(Encoding.UTF8.GetBytes(data.RootElement.GetProperty("note").GetString()!), out var note)
                    && Cosignature.TryVerify(note, witness, out _))
                {
                    return;
                }
            }
        }
    }
}
