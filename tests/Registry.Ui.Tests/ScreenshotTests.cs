using Registry.Ui.Tests.Support;

namespace Registry.Ui.Tests;

/// <summary>
/// Every page at 360 px and at 1280 px: readable (no horizontal scrolling of the page itself, no console errors),
/// with a screenshot written to docs/ui/ (committed, shown in README.md and docs/UI.md).
/// </summary>
[Collection(ExplorerGroup.Name)]
public sealed class ScreenshotTests(ExplorerFixture fx)
{
    public static TheoryData<int> Widths => [360, 1280];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task EveryPage_FitsTheWidth_AndIsScreenshotted(int width)
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin, width, width < 800 ? 780 : 900);
        var pages = new (string Name, string Route, string Ready, string Wait)[]
        {
            ("overview", "overview", "overview", "#feed-state[data-state='live']"),
            ("history", "history?before=2&open=2", "history", "details.commit[open]"),
            ("diff", "diff?from=1&to=2", "diff", "li.diff-entry"),
            ("descriptors", "descriptors?prefix=node:eu-west-0", "descriptors", "#results tbody tr"),
            ("descriptor", "descriptor/node:eu-west-01", "descriptor", "#descriptor-history li"),
            ("proposals", $"proposals?open={fx.PendingId}", "proposals", ".change[data-id='node:us-east-00']"),
        };
        foreach (var (name, route, ready, wait) in pages)
        {
            await ui.LoadAsync(route, ready);
            await ui.Page.WaitForSelectorAsync(wait);
            var overflow = await ui.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0, $"{name} at {width} px scrolls sideways by {overflow} px");
            await ui.ScreenshotAsync($"{name}-{width}");
        }

        ui.AssertNoErrors();
    }
}
