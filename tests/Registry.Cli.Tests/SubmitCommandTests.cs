using System.Text.Json;
using Registry.Cli.Tests.Support;
using Registry.Core.Auth;
using Registry.Testing;

namespace Registry.Cli.Tests;

/// <summary><c>ronctl registry submit</c> (sign locally, submit once) and <c>ronctl registry sign</c> (offline) against a real service.</summary>
public sealed class SubmitCommandTests
{
    [Fact]
    public async Task Submit_TwoSigners_CommitsOnce_AndSignOfflineReproducesTheRecordedApproval()
    {
        var dir = Directory.CreateTempSubdirectory("ronctl-submit-").FullName;
        var ronctl = new RonctlRunner(dir);
        await using var service = await RegistryProcess.StartAsync(dir, ["--amnesia"]);
        ronctl.Environment["RON_REGISTRY_URL"] = $"http://127.0.0.1:{service.ApiPort}";
        ronctl.Environment["RON_TOKEN"] = DevCredentials.Token();
        await ronctl.ExpectAsync(0, "dev", "key", "1", "--out", "k1.key");
        await ronctl.ExpectAsync(0, "dev", "key", "2", "--out", "k2.key");
        await File.WriteAllTextAsync(Path.Combine(dir, "sample.json"), """
            {"changes": [{"op": "put", "descriptor": {"kind": "region", "id": "region:eu", "attrs": {"name": "EU"}}}], "note": "pre-signed"}
            """);

        using var submitted = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "submit", "--file", "sample.json", "--signer", "k1.key", "--signer", "k2.key", "--json")).Out);
        Assert.Equal(1, submitted.RootElement.GetProperty("version").GetInt64());
        var proposalId = submitted.RootElement.GetProperty("proposal_id").GetString()!;

        // One quorum is not enough for a second, different document: one signer is refused (exit 4, QuorumFailed).
        await File.WriteAllTextAsync(Path.Combine(dir, "second.json"), """
            {"changes": [{"op": "put", "descriptor": {"kind": "region", "id": "region:us", "attrs": {"name": "US"}}}]}
            """);
        var refused = await ronctl.ExpectAsync(4, "registry", "submit", "--file", "second.json", "--signer", "k1.key");
        Assert.Contains("QuorumFailed", refused.Error, StringComparison.Ordinal);

        // The committed document, signed offline by signer 1, gives exactly the approval in the record.
        using var view = JsonDocument.Parse(await service.Api.GetStringAsync($"/registry/proposals/{proposalId}"));
        await File.WriteAllTextAsync(Path.Combine(dir, "complete.json"), view.RootElement.GetProperty("proposal").GetRawText());
        var service1 = ronctl.Environment["RON_REGISTRY_URL"];
        ronctl.Environment["RON_REGISTRY_URL"] = "http://127.0.0.1:1";
        using var signed = JsonDocument.Parse((await ronctl.ExpectAsync(0, "registry", "sign", "--file", "complete.json", "--signer", "k1.key", "--json")).Out);
        ronctl.Environment["RON_REGISTRY_URL"] = service1;
        Assert.Equal(proposalId, signed.RootElement.GetProperty("proposal_id").GetString());
        var recorded = view.RootElement.GetProperty("approvals").EnumerateArray().Single(a => a.GetProperty("signer_id").GetString() == "dev-signer-1");
        Assert.Equal(recorded.GetProperty("sig").GetString(), signed.RootElement.GetProperty("approval").GetProperty("sig").GetString());

        // An incomplete document cannot be signed offline.
        await ronctl.ExpectAsync(2, "registry", "sign", "--file", "sample.json", "--signer", "k1.key");
    }
}
