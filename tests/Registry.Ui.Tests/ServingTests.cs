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
    public async Task EveryReference_CarriesTheAssetVersion_AndThatUrlIsImmutable_WhileThePageRevalidates()
    {
        using var page = await fx.Service.Api.GetAsync("/ui/");
        Assert.Equal("no-cache", page.Headers.CacheControl!.ToString());
        var html = await page.Content.ReadAsStringAsync();
        var version = Assert.Single(Regex.Matches(html, @"src=""js/app\.js\?v=([0-9a-f]{16})""").Select(m => m.Groups[1].Value));

        // Walk the module graph from the page: every relative reference names the same version, and every one answers.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(HtmlReferences().Matches(html).Select(m => m.Groups["ref"].Value).Where(r => !r.StartsWith('#') && !r.StartsWith("data:", StringComparison.Ordinal)));
        Assert.Contains("app.css?v=" + version, queue);
        while (queue.TryDequeue(out var reference))
        {
            Assert.EndsWith("?v=" + version, reference, StringComparison.Ordinal);
            if (!seen.Add(reference))
            {
                continue;
            }

            using var response = await fx.Service.Api.GetAsync("/ui/" + reference);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
            if (reference.Contains(".js", StringComparison.Ordinal))
            {
                var directory = reference.Contains('/', StringComparison.Ordinal) ? reference[..(reference.LastIndexOf('/') + 1)] : string.Empty;
                foreach (Match import in ModuleImports().Matches(await response.Content.ReadAsStringAsync()))
                {
                    var target = new Uri(new Uri("http://x/ui/" + directory), import.Groups["ref"].Value).PathAndQuery["/ui/".Length..];
                    queue.Enqueue(target);
                }
            }
        }

        // The page, all its modules and the stylesheet.
        Assert.True(seen.Count >= 13, $"only {seen.Count} references reached: {string.Join(", ", seen)}");

        // The same file under its plain URL, or an old version's, revalidates.
        using var old = await fx.Service.Api.GetAsync("/ui/js/app.js?v=0000000000000000");
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Equal("no-cache", old.Headers.CacheControl!.ToString());
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

    [GeneratedRegex(@"\b(?:href|src)=""(?<ref>[^""]+)""")]
    private static partial Regex HtmlReferences();

    [GeneratedRegex("""(?:\bfrom\s*|\bimport\s*\(?\s*)['"](?<ref>\.{1,2}/[^'"]+)['"]""")]
    private static partial Regex ModuleImports();

    [GeneratedRegex(@"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalUrl();

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\sstyle\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex StyleAttribute();
}
