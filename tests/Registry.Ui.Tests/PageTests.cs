using Registry.Ui.Tests.Support;

namespace Registry.Ui.Tests;

/// <summary>Each page renders real data from a real svc-registry, in Debian's Chromium, without console errors.</summary>
[Collection(ExplorerGroup.Name)]
public sealed class PageTests(ExplorerFixture fx)
{
    [Fact]
    public async Task Overview_ShowsHeadSignerSetReadinessAndTheNewestCommits()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("overview", "overview");
        var head = await fx.GetJsonAsync("/registry/head");

        Assert.Equal(head.GetProperty("version").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), await ui.Page.TextContentAsync("#head-version"));
        var text = await ui.Page.InnerTextAsync("main");
        Assert.Contains(head.GetProperty("hash").GetString()!, text, StringComparison.Ordinal);
        Assert.Contains(head.GetProperty("state_root").GetString()!, text, StringComparison.Ordinal);
        Assert.Contains("2 of 3", text, StringComparison.Ordinal);
        await ui.Page.WaitForSelectorAsync("ul.signers li >> text=dev-signer-3");
        Assert.Equal("true", await ui.Page.GetAttributeAsync("[data-ready]", "data-ready"));
        await ui.Page.WaitForSelectorAsync("#feed-state[data-state='live']");
        Assert.Equal(10, await ui.Page.Locator("#feed li").CountAsync());
        Assert.Equal(fx.Head.ToString(System.Globalization.CultureInfo.InvariantCulture), await ui.Page.GetAttributeAsync("#feed li >> nth=0", "data-version"));
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task History_PagesTheLogNewestFirst_WithApprovalsScopeAndChanges()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("history", "history");
        var versions = await ui.Page.Locator("details.commit").EvaluateAllAsync<long[]>("els => els.map(e => Number(e.dataset.version))");
        Assert.Equal(Enumerable.Range(0, 20).Select(i => fx.Head - i).ToArray(), versions);

        await ui.NavigateAsync("history?before=2&open=2", "history");
        var two = ui.Page.Locator("details.commit[data-version='2']");
        Assert.NotNull(await two.GetAttributeAsync("open"));
        var body = await two.InnerTextAsync();
        Assert.Contains("dev-signer-1", body, StringComparison.Ordinal);
        Assert.Contains("dev-signer-2", body, StringComparison.Ordinal);
        Assert.Contains("svc:search", body, StringComparison.Ordinal);
        Assert.Equal(3, await two.Locator("ul.changes li").CountAsync());
        Assert.Equal(1, await two.Locator("ul.changes li[data-op='delete']").CountAsync());
        // The hash computed in the browser from the record is the chain's hash(2) (= prev_hash of record 3).
        var record3 = await fx.GetJsonAsync("/registry/log?from=3&limit=1");
        Assert.Contains(record3[0].GetProperty("prev_hash").GetString()!, body, StringComparison.Ordinal);
        Assert.Contains("svc:search", await two.Locator("dt:text-is('scope') + dd").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await ui.Page.Locator("a[data-pager='older']").CountAsync());
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Diff_ShowsAddedRemovedAndChangedDescriptorsSideBySide()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("diff?from=1&to=2", "diff");
        var summary = ui.Page.Locator("#diff-summary");
        Assert.Equal("1", await summary.GetAttributeAsync("data-added"));
        Assert.Equal("1", await summary.GetAttributeAsync("data-removed"));
        Assert.Equal("1", await summary.GetAttributeAsync("data-changed"));
        Assert.Equal("added", await ui.Page.GetAttributeAsync("li.diff-entry[data-id='svc:search']", "data-status"));
        Assert.Equal("removed", await ui.Page.GetAttributeAsync("li.diff-entry[data-id='svc:billing']", "data-status"));
        var changed = ui.Page.Locator("li.diff-entry[data-id='node:eu-west-00']");
        Assert.Equal("changed", await changed.GetAttributeAsync("data-status"));
        Assert.Equal("changed", await changed.Locator("tr[data-attr='addr']").GetAttributeAsync("data-mark"));
        Assert.Equal("same", await changed.Locator("tr[data-attr='region']").GetAttributeAsync("data-mark"));
        Assert.Contains("10.1.0.1:7000", await changed.Locator("tr[data-attr='addr'] td.left").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("10.1.9.9:7100", await changed.Locator("tr[data-attr='addr'] td.right").InnerTextAsync(), StringComparison.Ordinal);

        Assert.Equal("log", await summary.GetAttributeAsync("data-how"));

        // The same diff from the two full snapshots (the way versions far apart are compared) agrees.
        await ui.NavigateAsync("diff?from=1&to=2&via=snapshots", "diff");
        Assert.Equal("snapshots", await summary.GetAttributeAsync("data-how"));
        Assert.Equal(["node:eu-west-00", "svc:billing", "svc:search"], await ui.Page.Locator("li.diff-entry").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.id)"));
        Assert.Equal(["changed", "removed", "added"], await ui.Page.Locator("li.diff-entry").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.status)"));

        // Any two versions, either way round: from genesis everything is added, back to it everything is removed.
        await ui.NavigateAsync("diff?from=0&to=1", "diff");
        Assert.Equal("63", await ui.Page.GetAttributeAsync("#diff-summary", "data-added"));
        await ui.NavigateAsync("diff?from=1&to=0&via=snapshots", "diff");
        Assert.Equal("63", await ui.Page.GetAttributeAsync("#diff-summary", "data-removed"));
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Descriptors_SearchFiltersByPrefixKindAndRegion_AndPages()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("descriptors", "descriptors");
        await StatusAsync(ui, "63 match ");
        Assert.Equal(50, await ui.Page.Locator("#results tbody tr").CountAsync());

        await ui.Page.FillAsync("#q-prefix", "node:eu-west-1");
        await StatusAsync(ui, "10 match ");
        var ids = await ui.Page.Locator("#results tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"node:eu-west-{i}").ToArray(), ids);

        await ui.Page.FillAsync("#q-prefix", "");
        await ui.Page.SelectOptionAsync("#q-kind", "service");
        await StatusAsync(ui, "1 match ");
        Assert.Equal("svc:search", await ui.Page.GetAttributeAsync("#results tbody tr", "data-id"));

        await ui.Page.SelectOptionAsync("#q-kind", "node");
        await ui.Page.FillAsync("#q-region", "region:us-east");
        await StatusAsync(ui, "30 match ");
        Assert.All(await ui.Page.Locator("#results tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)"), id => Assert.StartsWith("node:us-east-", id, StringComparison.Ordinal));

        // Paging: 60 nodes, 50 a page.
        await ui.Page.FillAsync("#q-region", "");
        await StatusAsync(ui, "60 match ");
        await ui.Page.ClickAsync("button[data-pager='next']");
        await ui.Page.WaitForFunctionAsync("() => document.querySelector('#q-status')?.textContent.includes('showing 10 ')");
        Assert.Equal("node:us-east-20", await ui.Page.GetAttributeAsync("#results tbody tr >> nth=0", "data-id"));
        ui.AssertNoErrors();
    }

    private static Task StatusAsync(UiSession ui, string prefix) =>
        ui.Page.WaitForFunctionAsync("p => document.querySelector('#q-status')?.textContent.startsWith(p)", prefix);

    [Fact]
    public async Task Descriptor_ShowsItsHistoryAndAProofVerifiedInTheBrowser()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("descriptor/node:eu-west-01", "descriptor");
        await ui.Page.WaitForSelectorAsync("#proof-result");
        Assert.Equal("true", await ui.Page.GetAttributeAsync("#proof-result", "data-verified"));
        Assert.Contains("Verified in this browser", await ui.Page.TextContentAsync("#proof-result"), StringComparison.Ordinal);
        await ui.Page.WaitForSelectorAsync("#descriptor-history li[data-version='1']");
        var versions = await ui.Page.Locator("#descriptor-history li").EvaluateAllAsync<long[]>("els => els.map(e => Number(e.dataset.version))");
        Assert.Equal(new long[] { 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 1 }, versions);
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task Proposals_ShowPendingApprovedAndStale_WithDiffQuorumAndTheRonctlCommand()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync($"proposals?open={fx.PendingId}", "proposals");
        var pending = ui.Page.Locator($"details.proposal[data-id='{fx.PendingId}']");
        Assert.Equal("pending", await pending.GetAttributeAsync("data-status"));
        await pending.Locator("pre.command").First.WaitForAsync();
        var commands = await pending.Locator("pre[data-command='approve']").AllTextContentsAsync();
        Assert.Equal(
            Enumerable.Range(1, 3).Select(n => $"ronctl registry approve --server {fx.Origin} --id {fx.PendingId} --signer dev-signer-{n}"),
            commands);
        Assert.Equal("0", await pending.Locator(".quorum").GetAttributeAsync("data-have"));
        Assert.Equal("2", await pending.Locator(".quorum").GetAttributeAsync("data-m"));
        var change = pending.Locator(".change[data-id='node:us-east-00']");
        await change.WaitForAsync();
        Assert.Equal("changed", await change.GetAttributeAsync("data-status"));
        Assert.Equal("changed", await change.Locator("tr[data-attr='addr']").GetAttributeAsync("data-mark"));

        await ui.NavigateAsync($"proposals?status=approved&open={fx.ApprovedId}", "proposals");
        var approved = ui.Page.Locator($"details.proposal[data-id='{fx.ApprovedId}']");
        await approved.Locator("pre[data-command='commit']").WaitForAsync();
        Assert.Equal([$"ronctl registry approve --server {fx.Origin} --id {fx.ApprovedId} --signer dev-signer-3"], await approved.Locator("pre[data-command='approve']").AllTextContentsAsync());
        Assert.Equal("2", await approved.Locator(".quorum").GetAttributeAsync("data-have"));
        Assert.Equal("added", await approved.Locator(".change[data-id='svc:new-thing']").GetAttributeAsync("data-status"));
        Assert.Equal(1, await ui.Page.Locator("details.proposal").CountAsync());

        await ui.NavigateAsync($"proposals?status=stale&open={fx.StaleId}", "proposals");
        var stale = ui.Page.Locator($"details.proposal[data-id='{fx.StaleId}']");
        await stale.Locator(".conflict").WaitForAsync();
        Assert.Contains("Stale", await stale.Locator(".conflict").InnerTextAsync(), StringComparison.Ordinal);

        // The service's own stale member (ScopeConflict naming the id and the version that wrote it), shown as such.
        Assert.Equal("node:eu-west-02", await stale.Locator(".conflict").GetAttributeAsync("data-conflict-id"));
        Assert.Equal(fx.StaleBy.ToString(System.Globalization.CultureInfo.InvariantCulture), await stale.Locator(".conflict").GetAttributeAsync("data-conflict-version"));
        Assert.Equal($"#/history?before={fx.StaleBy}&open={fx.StaleBy}", await stale.Locator(".conflict a").GetAttributeAsync("href"));
        Assert.Equal(0, await stale.Locator("pre.command").CountAsync());
        ui.AssertNoErrors();
    }

    [Fact]
    public async Task ApiErrors_AreShownWithTheirCodeAndCorrId_NeverABlankPage()
    {
        await using var ui = await UiSession.OpenAsync(fx.Browser, fx.Origin);
        await ui.LoadAsync("descriptor/node:missing", "descriptor");
        var error = ui.Page.Locator(".error[data-code='NotFound']").First;
        await error.WaitForAsync();
        var text = await error.InnerTextAsync();
        Assert.Contains("NotFound", text, StringComparison.Ordinal);
        Assert.Matches("corr_id: [0-9a-f]{8,}", text);

        await ui.NavigateAsync("diff?from=0&to=99999", "diff");
        Assert.Contains("NotFound", await ui.Page.Locator(".error").First.InnerTextAsync(), StringComparison.Ordinal);

        await ui.NavigateAsync("nowhere", "nowhere");
        Assert.Contains("Not found", await ui.Page.InnerTextAsync("main"), StringComparison.Ordinal);
        // The only console errors are the browser's own notes of the two 404 answers.
        Assert.All(ui.Errors, e => Assert.Contains("404", e, StringComparison.Ordinal));
    }
}
