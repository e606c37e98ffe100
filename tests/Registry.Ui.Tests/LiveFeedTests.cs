using Registry.Client;
using Registry.Client.Tests.Support;
using Registry.Testing;
using Registry.Ui.Tests.Support;

namespace Registry.Ui.Tests;

/// <summary>
/// The overview's live feed over EventSource: a commit made through the API appears; a service that is stopped and
/// restarted (behind a loopback forwarder, so the page keeps its origin) is resumed from, with the commits made while
/// the page was cut off replayed, and no version missing or shown twice.
/// </summary>
[Collection(ExplorerGroup.Name)]
public sealed class LiveFeedTests(ExplorerFixture fx)
{
    [Fact]
    public async Task CommitAppears_ThenAStoppedAndRestartedServiceIsResumed_WithoutGapOrDuplicate()
    {
        var dataDir = Directory.CreateTempSubdirectory("svcr-ui-").FullName;
        var service = await RegistryProcess.StartAsync(dataDir);
        await using var proxy = new LoopbackProxy(service.ApiPort);
        try
        {
            var client = Client(service);
            await Dev.CommitAsync(client, Dev.Region("region:feed", "Feed"));
            await using var ui = await UiSession.OpenAsync(fx.Browser, $"http://127.0.0.1:{proxy.Port}");
            await ui.LoadAsync("overview", "overview");
            await ui.Page.WaitForSelectorAsync("#feed-state[data-state='live']");

            var a = await Dev.CommitAsync(client, Dev.Node("node:feed-a", "region:feed"));
            await ui.Page.WaitForSelectorAsync($"#feed li[data-version='{a}'][data-via='stream']");

            // Cut the page off, stop the service, start it again on the same data, and commit while the page cannot see.
            proxy.Cut();
            Assert.Equal(0, await service.StopAsync());
            await service.DisposeAsync();
            service = await RegistryProcess.StartAsync(dataDir);
            proxy.Retarget(service.ApiPort);
            client = Client(service);
            var b = await Dev.CommitAsync(client, Dev.Node("node:feed-b", "region:feed"));
            var c = await Dev.CommitAsync(client, Dev.Node("node:feed-c", "region:feed"));
            await ui.Page.WaitForSelectorAsync("#feed-state[data-state='reconnecting']");
            proxy.Resume();

            await ui.Page.WaitForSelectorAsync($"#feed li[data-version='{c}']");
            await ui.Page.WaitForSelectorAsync("#feed-state[data-state='live']");
            var d = await Dev.CommitAsync(client, Dev.Node("node:feed-d", "region:feed"));
            await ui.Page.WaitForSelectorAsync($"#feed li[data-version='{d}']");

            var shown = await ui.Page.Locator("#feed li").EvaluateAllAsync<long[]>("els => els.map(e => Number(e.dataset.version))");
            Assert.Equal(Enumerable.Range(1, (int)d).Reverse().Select(v => (long)v).ToArray(), shown);
            Assert.Equal([a, b, c, d], [a, a + 1, a + 2, a + 3]);
            // While the service was down the browser reported the refused stream requests; nothing else went wrong.
            Assert.All(ui.Errors, e => Assert.Contains("/registry/", e, StringComparison.Ordinal));
        }
        finally
        {
            await service.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static RegistryClient Client(RegistryProcess service) =>
        new(service.Api, new RegistryClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{service.ApiPort}"), Token = Dev.Token });
}
