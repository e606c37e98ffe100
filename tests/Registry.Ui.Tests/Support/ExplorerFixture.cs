using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Registry.Client;
using Registry.Client.Tests.Support;
using Registry.Testing;

namespace Registry.Ui.Tests.Support;

/// <summary>
/// One real svc-registry (dev mode, --amnesia) with a known history, and one Chromium, shared by the read-only
/// browser tests (nothing commits to it after seeding). History:
/// v1 two regions, 30 + 30 nodes, svc:billing; v2 node:eu-west-00 changed, svc:billing deleted, svc:search added;
/// v3-v24 node:eu-west-01 revised 22 times; a proposal on v24 that v25 made stale (both write node:eu-west-02);
/// a pending proposal and an approved one (2 of 3) on v25.
/// </summary>
public sealed class ExplorerFixture : IAsyncLifetime
{
    internal RegistryProcess Service { get; private set; } = null!;

    internal IBrowser Browser { get; private set; } = null!;

    internal string Origin => $"http://127.0.0.1:{Service.ApiPort}";

    internal string StaleId { get; private set; } = "";

    /// <summary>The version whose write of <c>node:eu-west-02</c> made <see cref="StaleId"/> stale.</summary>
    internal long StaleBy { get; private set; }

    internal string PendingId { get; private set; } = "";

    internal string ApprovedId { get; private set; } = "";

    internal long Head { get; private set; }

    private IPlaywright? _playwright;

    internal RegistryClient Client() => new(Service.Api, new RegistryClientOptions { BaseAddress = new Uri(Origin), Token = Dev.Token });

    public async Task InitializeAsync()
    {
        Service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        (_playwright, Browser) = await Chromium.LaunchAsync();
        var client = Client();
        var first = new List<string> { Dev.Region("region:eu-west", "Europe West"), Dev.Region("region:us-east", "US East") };
        for (var i = 0; i < 30; i++)
        {
            first.Add(Dev.Node($"node:eu-west-{i:00}", "region:eu-west", $"10.1.0.{i + 1}:7000"));
            first.Add(Dev.Node($"node:us-east-{i:00}", "region:us-east", $"10.2.0.{i + 1}:7000"));
        }

        first.Add(ServicePut("svc:billing", "https://billing.example/api", "region:eu-west"));
        await Dev.CommitAsync(client, [.. first]);
        await Dev.CommitAsync(client, Dev.Node("node:eu-west-00", "region:eu-west", "10.1.9.9:7100"), """{"op":"delete","id":"svc:billing"}""", ServicePut("svc:search", "https://search.example/", "region:us-east"));
        for (var rev = 1; rev <= 22; rev++)
        {
            await Dev.CommitAsync(client, Revision("node:eu-west-01", rev));
        }

        StaleId = (await client.ProposeAsync(await Dev.ProposalAsync(client, Revision("node:eu-west-02", 100)))).ProposalId.ToString();
        StaleBy = await Dev.CommitAsync(client, Revision("node:eu-west-02", 1));
        PendingId = (await client.ProposeAsync(await Dev.ProposalAsync(client, Dev.Node("node:us-east-00", "region:us-east", "10.2.7.7:7000")))).ProposalId.ToString();
        var approved = await client.ProposeAsync(await Dev.ProposalAsync(client, ServicePut("svc:new-thing", "https://new.example/", "region:eu-west")));
        foreach (var n in new[] { 1, 2 })
        {
            using var key = Dev.Key(n);
            await client.SignAndApproveAsync(approved.ProposalId, $"dev-signer-{n}", key);
        }

        ApprovedId = approved.ProposalId.ToString();
        Head = (await client.GetHeadAsync()).Version;
    }

    internal static string ServicePut(string id, string endpoint, string region) =>
        "{\"op\":\"put\",\"descriptor\":{\"kind\":\"service\",\"id\":\"" + id + "\",\"attrs\":{\"endpoints\":[\"" + endpoint + "\"],\"region\":\"" + region + "\"}}}";

    internal static string Revision(string id, int rev) =>
        "{\"op\":\"put\",\"descriptor\":{\"kind\":\"node\",\"id\":\"" + id + "\",\"attrs\":{\"addr\":\"10.1.0.2:7000\",\"region\":\"region:eu-west\",\"rev\":" + rev + "}}}";

    internal async Task<JsonElement> GetJsonAsync(string path) => await Service.Api.GetFromJsonAsync<JsonElement>(path);

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Service.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ExplorerGroup : ICollectionFixture<ExplorerFixture>
{
    public const string Name = "explorer";
}
