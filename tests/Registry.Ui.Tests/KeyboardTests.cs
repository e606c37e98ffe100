using Registry.Ui.Tests.Support;

namespace Registry.Ui.Tests;

/// <summary>History and Proposals work with the keyboard alone: Tab order, visible focus, Enter to open and to follow links.</summary>
[Collection(ExplorerGroup.Name)]
public sealed class KeyboardTests(ExplorerFixture fx)
{
    [Fact]
    public async Task History_TabEnterOpensACommit_AndEnterOnOlderPagesBack()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("history", "history");

        // The first stop is the skip link, then the page navigation, in document order.
        Assert.Equal(1, await ui.TabToAsync("a.skip"));
        await ui.TabToAsync("a[data-route='history']", 10);
        Assert.Equal("page", await ui.Page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-current')"));

        await ui.TabToAsync("details.commit > summary");
        Assert.True(await ui.FocusVisibleAsync());
        var version = await ui.Page.EvaluateAsync<long>("() => Number(document.activeElement.parentElement.dataset.version)");
        Assert.Equal(fx.Head, version);
        await ui.Page.Keyboard.PressAsync("Enter");
        var open = ui.Page.Locator($"details.commit[data-version='{version}']");
        Assert.NotNull(await open.GetAttributeAsync("open"));
        Assert.True(await open.Locator("ul.changes li").CountAsync() >= 1);

        await ui.TabToAsync("a[data-pager='older']");
        Assert.True(await ui.FocusVisibleAsync());
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.Page.WaitForFunctionAsync("v => document.body.dataset.pageReady === 'history' && document.querySelector('details.commit')?.dataset.version === String(v)", fx.Head - 20);
        // After a navigation the focus is on the new page's heading, so Tab continues from the top of the content.
        Assert.Equal("H1", await ui.Page.EvaluateAsync<string>("() => document.activeElement.tagName"));
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Proposals_KeyboardReachesTheStaleFilter_OpensAProposal_AndCopiesItsCommand()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("proposals", "proposals");

        await ui.TabToAsync("details.proposal[data-status='pending'] > summary");
        Assert.True(await ui.FocusVisibleAsync());
        await ui.Page.Keyboard.PressAsync("Enter");
        var pending = ui.Page.Locator($"details.proposal[data-id='{fx.PendingId}']");
        await pending.Locator("pre[data-command='approve']").First.WaitForAsync();
        await ui.TabToAsync($"details.proposal[data-id='{fx.PendingId}'] button.copy");
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.Page.WaitForFunctionAsync("() => document.activeElement.nextElementSibling?.textContent.length > 0");

        await ui.LoadAsync("proposals", "proposals");
        await ui.TabToAsync("nav.tabs a[data-status='stale']");
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.Page.WaitForFunctionAsync("() => document.body.dataset.pageReady === 'proposals' && location.hash.includes('status=stale')");
        await ui.TabToAsync("details.proposal[data-status='stale'] > summary");
        await ui.Page.Keyboard.PressAsync("Space");
        await ui.Page.Locator($"details.proposal[data-id='{fx.StaleId}'] .conflict").WaitForAsync();
        ui.AssertNoErrors();
    }
}
