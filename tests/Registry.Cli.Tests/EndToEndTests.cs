using System.Text.Json;
using Registry.Cli.Tests.Support;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary>
/// The end-to-end run, all through ronctl against a real svc-registry: keygen for three signers (their set
/// is the service's genesis), a capabilities file and token from ronctl, propose from a JSON file, two approvals,
/// commit, head, get, tail receiving the commit, verify passing (and failing against other trust roots); then the
/// service's data directory verified offline, and tampered.
/// </summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task EndToEnd_ThreeSignersProposeApproveCommit_TailSeesItAndVerifyPasses()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-e2e-").FullName;
        var ronctl = new RonctlRunner(dir, new Dictionary<string, string> { ["RON_KEY_DIR"] = Path.Combine(dir, "keys") });

        // Three signers; secret files are owner-only.
        var signers = new List<(string Id, string PublicKey)>();
        foreach (var id in new[] { "signer-a", "signer-b", "signer-c" })
        {
            using var keygen = JsonDocument.Parse((await ronctl.ExpectAsync(0, "keygen", "--id", id, "--json")).Out);
            var file = keygen.RootElement.GetProperty("key_file").GetString()!;
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            signers.Add((id, keygen.RootElement.GetProperty("public_key").GetString()!));
        }

        await ronctl.ExpectAsync(2, "keygen", "--id", "signer-a");
        var trustRoots = Path.Combine(dir, "trust-roots.json");
        var signerJson = string.Join(",", signers.Select(s => $$"""{"algo":"ed25519","id":"{{s.Id}}","public_key":"{{s.PublicKey}}"}"""));
        await File.WriteAllTextAsync(trustRoots, "{\"registry\":\"ron-e2e\",\"signer_set\":{\"version\":1,\"threshold\":2,\"signers\":[" + signerJson + "]}}");

        // Capabilities: a root key and a token with every write scope, from ronctl.
        var capabilities = Path.Combine(dir, "capabilities.json");
        await ronctl.ExpectAsync(0, "cap", "rotate", "--file", capabilities);
        using var minted = JsonDocument.Parse((await ronctl.ExpectAsync(0, "cap", "mint", "--file", capabilities, "--scope", "registry:propose", "--scope", "registry:approve,registry:commit", "--ttl", "1h", "--json")).Out);
        ronctl.Environment["RON_TOKEN"] = minted.RootElement.GetProperty("token").GetString()!;

        var data = Path.Combine(dir, "data");
        await using var service = await RegistryProcess.StartAsync(dir, ["--data-dir", data], new Dictionary<string, string>
        {
            ["SVCR_SERVICE__REGISTRY_ID"] = "ron-e2e",
            ["SVCR_TRUST__TRUST_ROOTS_FILE"] = trustRoots,
            ["SVCR_AUTH__CAPABILITIES_FILE"] = capabilities,
        });
        ronctl.Environment["RON_REGISTRY_URL"] = $"http://127.0.0.1:{service.ApiPort}";

        await File.WriteAllTextAsync(Path.Combine(dir, "sample.json"), """
            {
              "changes": [
                {"op": "put", "descriptor": {"kind": "region", "id": "region:eu-west", "attrs": {"name": "EU West"}}},
                {"op": "put", "descriptor": {"kind": "node", "id": "node:eu-west-1", "attrs": {"addr": "10.1.0.1:7000", "region": "region:eu-west"}}}
              ],
              "note": "first region and node"
            }
            """);
        using var proposed = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "propose", "--file", "sample.json", "--json")).Out);
        var proposalId = proposed.RootElement.GetProperty("proposal_id").GetString()!;

        // tail, started before the commit, must receive it.
        var tailOutput = new CapturingWriter();
        var tail = ronctl.RunAsync(["registry", "tail", "--from", "0", "--count", "1", "--json"], null, CancellationToken.None, tailOutput);

        var first = await ronctl.ExpectAsync(0, "registry", "approve", "--id", proposalId, "--signer", Path.Combine(dir, "keys", "signer-a.key"), "--yes");
        Assert.Contains("+ put node:eu-west-1 [node] (added)", first.Out, StringComparison.Ordinal);
        Assert.Contains("quorum     1/2 of 3", first.Out, StringComparison.Ordinal);
        await ronctl.ExpectAsync(0, "registry", "approve", "--id", proposalId[..20], "--signer", "signer-b", "--yes");
        using var committed = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "commit", "--id", proposalId, "--json")).Out);
        Assert.Equal(1, committed.RootElement.GetProperty("version").GetInt64());

        using var head = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "head", "--json")).Out);
        Assert.Equal(1, head.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(committed.RootElement.GetProperty("hash").GetString(), head.RootElement.GetProperty("hash").GetString());
        Assert.Equal(2, head.RootElement.GetProperty("descriptor_count").GetInt64());

        using var got = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "get", "--id", "node:eu-west-1", "--json")).Out);
        Assert.True(got.RootElement.GetProperty("proof_verified").GetBoolean());
        Assert.Equal("10.1.0.1:7000", got.RootElement.GetProperty("descriptor").GetProperty("attrs").GetProperty("addr").GetString());
        Assert.Contains("region:eu-west", (await ronctl.ExpectAsync(0, "registry", "get", "1")).Out, StringComparison.Ordinal);

        var tailed = await tail.WaitAsync(s_deadline);
        Assert.Equal(0, tailed.ExitCode);
        using var tailLine = JsonDocument.Parse(tailed.Out.Trim());
        Assert.Equal(1, tailLine.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(proposalId, tailLine.RootElement.GetProperty("proposal_id").GetString());

        var verified = await ronctl.ExpectAsync(0, "registry", "verify", "--trust-roots", trustRoots);
        Assert.Contains("ok: verified 1 commits", verified.Out, StringComparison.Ordinal);

        // Other trust roots (the dev set): the chain must not verify, and the first bad version is named.
        var wrong = await ronctl.ExpectAsync(7, "verify", "--dev");
        Assert.Contains("verification failed at version 0", wrong.Error, StringComparison.Ordinal);

        // The service's data directory, once it has stopped: verifies offline, then not once tampered.
        Assert.Equal(0, await service.StopAsync());
        Assert.Contains("result: OK", (await ronctl.ExpectAsync(0, "verify", "--data-dir", data, "--trust-roots", trustRoots)).Out, StringComparison.Ordinal);
        LogSurgery.Tamper(data, "10.1.0.1:7000");
        var tampered = await ronctl.ExpectAsync(7, "verify", "--data-dir", data, "--trust-roots", trustRoots);
        Assert.Contains("verification failed at version 1", tampered.Error, StringComparison.Ordinal);
    }
}
