using System.Net;
using Registry.Api.Hosting;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// One web application serves both listeners, each route only on its own: every admin route (chaos included) asked
/// on the API port, and every API route asked on the admin port, is a 404 <c>NotFound</c> problem — and each is
/// served on its own port, so the 404s are not just a dead service.
/// </summary>
public sealed class ListenerIsolationTests
{
    [Fact]
    public async Task EveryRoute_OnTheOtherListener_Answers404NotFound()
    {
        // A configuration file with [chaos] enabled (the in-process build reads no SVCR_* of its own), in memory.
        var config = await DevConfigFile.WriteAsync("svcr-isolation-", "[chaos]\nenabled = true\n");
        var (dir, args) = (config.Directory, config.Args);

        var api = await MappedRoutes.OfAsync(Listener.Api, args);
        var admin = await MappedRoutes.OfAsync(Listener.Admin, args);
        Assert.Contains(("GET", "/metrics"), admin);
        Assert.Contains(("POST", "/admin/chaos"), admin);
        Assert.Contains(("GET", "/registry/stream"), api);

        await using var service = await RegistryProcess.StartAsync(dataDir: dir, args: args);
        foreach (var (method, path) in admin)
        {
            await AssertNotFoundAsync(service.Api, method, path);
            Assert.False(await IsRoutingNotFoundAsync(service.Admin, method, path), $"{method} {path} is not served on its own listener");
        }

        foreach (var (method, path) in api)
        {
            await AssertNotFoundAsync(service.Admin, method, path);
        }

        foreach (var (method, path) in api.Where(r => r.Path != "/registry/stream"))
        {
            Assert.False(await IsRoutingNotFoundAsync(service.Api, method, path), $"{method} {path} is not served on its own listener");
        }

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(service.Api, "GET", "/openapi/v1.json"));
        await AssertNotFoundAsync(service.Admin, "GET", "/openapi/v1.json");
    }

    private static async Task AssertNotFoundAsync(HttpClient client, string method, string path)
    {
        using var request = Request(method, path);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} on {client.BaseAddress}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"NotFound\"", body, StringComparison.Ordinal);
    }

    // The framework's own 404 (no route), as opposed to a handler's 404 for a missing resource.
    private static async Task<bool> IsRoutingNotFoundAsync(HttpClient client, string method, string path)
    {
        using var request = Request(method, path);
        using var response = await client.SendAsync(request);
        return response.StatusCode == HttpStatusCode.NotFound && (await response.Content.ReadAsStringAsync()).Contains("\"detail\":\"No resource at ", StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string method, string path)
    {
        using var request = Request(method, path);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode;
    }

    // Parameters get values that route (the handler may still refuse them, but never with a routing 404 on its own port).
    private static HttpRequestMessage Request(string method, string path)
    {
        var concrete = path.Replace("{version}", "0", StringComparison.Ordinal).Replace("{id}", "x", StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), concrete);
        if (method is "POST")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }
}
