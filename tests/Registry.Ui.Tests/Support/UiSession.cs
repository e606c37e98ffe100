using Microsoft.Playwright;

namespace Registry.Ui.Tests.Support;

/// <summary>One browser context and page on the explorer, collecting console errors and uncaught page errors.</summary>
internal sealed class UiSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _errors = [];
    private readonly Lock _lock = new();

    private UiSession(IBrowserContext context, IPage page, string origin)
    {
        _context = context;
        Page = page;
        Origin = origin;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_lock)
                {
                    _errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_lock)
            {
                _errors.Add($"page error: {error}");
            }
        };
    }

    public IPage Page { get; }

    public string Origin { get; }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_lock)
            {
                return [.. _errors];
            }
        }
    }

    public static async Task<UiSession> OpenAsync(IBrowser browser, string origin, int width = 1280, int height = 900)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return new UiSession(context, page, origin);
    }

    /// <summary>Loads <c>/ui/#/{route}</c> and waits until the page named <paramref name="ready"/> has rendered.</summary>
    public async Task LoadAsync(string route, string ready)
    {
        await Page.GotoAsync($"{Origin}/ui/#/{route}");
        await WaitReadyAsync(ready);
    }

    /// <summary>A same-document navigation to <c>#/{route}</c>.</summary>
    public async Task NavigateAsync(string route, string ready)
    {
        await Page.EvaluateAsync("h => { document.body.removeAttribute('data-page-ready'); location.hash = h; }", "#/" + route);
        await WaitReadyAsync(ready);
    }

    public Task WaitReadyAsync(string ready) => Page.WaitForSelectorAsync($"body[data-page-ready='{ready}']", new() { State = WaitForSelectorState.Attached });

    /// <summary>Presses Tab until the focused element matches <paramref name="selector"/> (at most <paramref name="max"/> presses); returns the presses.</summary>
    public async Task<int> TabToAsync(string selector, int max = 80)
    {
        for (var i = 1; i <= max; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await Page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                return i;
            }
        }

        throw new Xunit.Sdk.XunitException($"{max} presses of Tab never focused '{selector}'.");
    }

    /// <summary>The focused element shows a visible focus indicator (an outline wider than 0).</summary>
    public Task<bool> FocusVisibleAsync() =>
        Page.EvaluateAsync<bool>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }");

    public void AssertNoErrors() => Assert.True(Errors.Count == 0, "console errors:\n" + string.Join('\n', Errors));

    public async Task ScreenshotAsync(string name)
    {
        var dir = Path.Combine(Registry.Testing.TestPaths.RepoRoot, "docs", "ui");
        Directory.CreateDirectory(dir);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
