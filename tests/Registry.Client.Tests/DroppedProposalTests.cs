using System.Net.Http.Json;
using System.Text.Json;
using Registry.Client.Tests.Support;
using Registry.Core.Model;
using Registry.Testing;

namespace Registry.Client.Tests;

/// <summary>A proposal the service dropped after its retention: the SDK says so with its own code, not a parse failure.</summary>
public sealed class DroppedProposalTests
{
    [Fact]
    public async Task GetProposalAsync_OnAStaleProposalPastItsRetention_ThrowsProposalDropped_SayingWhy()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_LIMITS__PROPOSAL_RETENTION_SECONDS"] = "0" });
        var client = new RegistryClient(service.Api, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{service.ApiPort}"), Token = Dev.Token });
        await Dev.CommitAsync(client, Dev.Region("region:gone"));

        // Two proposals on the same region; committing one makes the other stale, and with retention 0 the writer's
        // next sweep drops it.
        var stale = await client.ProposeAsync(await Dev.ProposalAsync(client, Dev.Region("region:gone", "Old name")));
        var version = await Dev.CommitAsync(client, Dev.Region("region:gone", "New name"));
        await service.WaitForLineAsync(l => l.Contains("dropped 1 proposals", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var view = await service.Api.GetFromJsonAsync<JsonElement>($"/registry/proposals/{stale.ProposalId}");
        Assert.Equal("dropped", view.GetProperty("status").GetString());

        var error = await Assert.ThrowsAsync<RegistryClientException>(() => client.GetProposalAsync(stale.ProposalId));
        Assert.Equal(RegistryClientErrorCodes.ProposalDropped, error.Code);
        Assert.Contains("because it was stale", error.Message, StringComparison.Ordinal);
        Assert.True(view.GetProperty("dropped").GetProperty("version").GetInt64() >= version);
    }
}
