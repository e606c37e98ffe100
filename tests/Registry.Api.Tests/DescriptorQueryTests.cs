using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// <c>GET /registry/{version}/descriptors?prefix=&amp;kind=&amp;region=&amp;after=&amp;limit=</c>: one page of the
/// descriptors at a version, filtered and sorted by id, from the in-memory state.
/// </summary>
public sealed class DescriptorQueryTests(DescriptorQueryFixture fx) : IClassFixture<DescriptorQueryFixture>
{
    private readonly RegistryProcess _service = fx.Service;

    [Fact]
    public async Task Prefix_KindAndRegion_Filter_AndMatchedCountsEveryPage()
    {
        var page = await QueryAsync("/registry/2/descriptors?prefix=node:a-1");
        Assert.Equal(Enumerable.Range(10, 10).Select(i => $"node:a-{i}"), Ids(page));
        Assert.Equal(10, page.GetProperty("matched").GetInt64());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        Assert.Equal(2, page.GetProperty("version").GetInt64());

        Assert.Equal(["svc:x"], Ids(await QueryAsync("/registry/2/descriptors?kind=service")));
        Assert.Equal(["region:a", "region:b"], Ids(await QueryAsync("/registry/2/descriptors?kind=region")));
        var inB = await QueryAsync("/registry/2/descriptors?region=region:b&limit=1000");
        Assert.Equal(26, inB.GetProperty("matched").GetInt64());
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"node:b-{i:00}").Append("svc:x"), Ids(inB));
        Assert.Equal(["svc:x"], Ids(await QueryAsync("/registry/2/descriptors?region=region:b&kind=service")));
        Assert.Empty(Ids(await QueryAsync("/registry/2/descriptors?prefix=zzz")));
    }

    [Fact]
    public async Task Pages_ByAfterCursor_CoverEveryMatchOnceInIdOrder()
    {
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = await QueryAsync("/registry/2/descriptors?kind=node&limit=7" + (after is null ? "" : "&after=" + after));
            Assert.Equal(49, page.GetProperty("matched").GetInt64());
            seen.AddRange(Ids(page));
            after = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
            pages++;
        }
        while (after is not null);

        Assert.Equal(7, pages);
        var expected = Enumerable.Range(1, 24).Select(i => $"node:a-{i:00}").Concat(Enumerable.Range(0, 25).Select(i => $"node:b-{i:00}")).ToList();
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task OlderVersion_IsQueried_AsItWas()
    {
        var page = await QueryAsync("/registry/1/descriptors?prefix=node:a-00");
        Assert.Equal(["node:a-00"], Ids(page));
        Assert.Empty(Ids(await QueryAsync("/registry/2/descriptors?prefix=node:a-00")));
        Assert.Equal(0, (await QueryAsync("/registry/0/descriptors")).GetProperty("matched").GetInt64());
    }

    [Theory]
    [InlineData("/registry/2/descriptors?kind=host")]
    [InlineData("/registry/2/descriptors?limit=0")]
    [InlineData("/registry/2/descriptors?limit=1001")]
    [InlineData("/registry/2/descriptors?limit=x")]
    [InlineData("/registry/2/descriptors?prefix=NODE")]
    [InlineData("/registry/2/descriptors?region=Region%20A")]
    [InlineData("/registry/2/descriptors?colour=red")]
    [InlineData("/registry/2/descriptors?kind=node&kind=service")]
    public async Task BadQuery_IsMalformed(string path)
    {
        using var response = await _service.Api.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Malformed", (await Driver.JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task VersionPastHead_IsNotFound_AndTheAnswerIsImmutable()
    {
        using var missing = await _service.Api.GetAsync("/registry/3/descriptors");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NotFound", (await Driver.JsonAsync(missing)).GetProperty("code").GetString());

        using var page = await _service.Api.GetAsync("/registry/2/descriptors?kind=service");
        Assert.Contains("immutable", page.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/registry/2/descriptors?kind=service");
        again.Headers.TryAddWithoutValidation("If-None-Match", page.Headers.ETag!.Tag);
        using var notModified = await _service.Api.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    private async Task<JsonElement> QueryAsync(string path)
    {
        using var response = await _service.Api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Driver.JsonAsync(response);
    }

    private static List<string> Ids(JsonElement page) =>
        page.GetProperty("descriptors").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToList();
}
