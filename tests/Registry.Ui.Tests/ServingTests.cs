using System.Net;
using System.Text.RegularExpressions;
using Registry.Testing;
using Registry.Ui.Tests.Support;

namespace Registry.Ui.Tests;

/// <summary>GET /ui/ on the API listener: embedded assets, content types, ETags, a strict CSP, nothing external; off with ui.enabled = false.</summary>
[Collection(ExplorerGroup.Name)]
public sealed partial class ServingTests(ExplorerFixture fx)
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

    [Theory]
    [InlineData("/ui/", "text/html; charset=utf-8")]
    [InlineData("/ui/app.css", "text/css; charset=utf-8")]
    [InlineData("/ui/js/app.js", "text/javascript; charset=utf-8")]
    [InlineData("/ui/js/pages/proposals.js", "text/javascript; charset=utf-8")]
    public async Task Asset_IsServedWithItsTypeStrictCspAndAnETagThatRevalidates(string path, string type)
    {
        using var response = await fx.Service.Api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.ToString());
        Assert.Equal(Csp, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        var etag = response.Headers.ETag!;
        Assert.False(etag.IsWeak);

        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.TryAddWithoutValidation("If-None-Match", etag.Tag);
        using var notModified = await fx.Service.Api.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Ui_WithoutSlash_Redirects_AndAMissingFile_IsAProblemWithCode()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(fx.Origin) };
        using var redirect = await http.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal("/ui/", redirect.Headers.Location!.ToString());

        using var missing = await http.GetAsync("/ui/js/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"code\":\"NotFound\"", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Assets_HaveNoInlineScriptOrStyle_AndReferenceNothingOutsideTheService()
    {
        var dir = Path.Combine(TestPaths.RepoRoot, "src", "Registry.Api", "Ui", "assets");
        var files = Directory.GetFiles(dir, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("index.html", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotMatch(ExternalUrl(), text);
            if (file.EndsWith(".html", StringComparison.Ordinal))
            {
                Assert.DoesNotMatch(InlineScript(), text);
                Assert.DoesNotMatch(StyleAttribute(), text);
                Assert.DoesNotContain("<style", text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task UiDisabled_AnswersNotFound_AndTheApiStillServes()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_UI__ENABLED"] = "false" });
        using var ui = await service.Api.GetAsync("/ui/");
        Assert.Equal(HttpStatusCode.NotFound, ui.StatusCode);
        Assert.Contains("\"code\":\"NotFound\"", await ui.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var head = await service.Api.GetAsync("/registry/head");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();
}
