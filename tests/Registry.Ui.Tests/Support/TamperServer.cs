using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Registry.Ui.Tests.Support;

/// <summary>
/// A Kestrel server on loopback in front of the real service: it forwards every request (streaming the answer)
/// and, in answers to <c>GET /registry/{v}/descriptors/{id}</c>, flips one hex digit of the proof's first sibling.
/// </summary>
internal sealed partial class TamperServer : IAsyncDisposable
{
    private static readonly string[] Hop = ["Transfer-Encoding", "Connection", "Keep-Alive", "Content-Length"];
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private TamperServer(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public string Origin { get; private set; } = "";

    public int Tampered { get; private set; }

    public static async Task<TamperServer> StartAsync(int upstreamPort)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var upstream = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = new Uri($"http://127.0.0.1:{upstreamPort}"), Timeout = Timeout.InfiniteTimeSpan };
        var app = builder.Build();
        var server = new TamperServer(app, upstream);
        app.Run(server.ForwardAsync);
        await app.StartAsync();
        server.Origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        foreach (var name in new[] { "Accept", "If-None-Match", "Last-Event-ID", "X-Corr-ID" })
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                request.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }

        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!Hop.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        if (response.IsSuccessStatusCode && DescriptorPath().IsMatch(context.Request.Path.Value ?? ""))
        {
            var body = await response.Content.ReadAsStringAsync(context.RequestAborted);
            var tampered = FirstSibling().Replace(body, m => m.Groups[1].Value + (m.Groups[2].Value == "0" ? "1" : "0"), 1);
            Tampered++;
            await context.Response.WriteAsync(tampered, context.RequestAborted);
            return;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    [GeneratedRegex(@"^/registry/\d+/descriptors/.+$")]
    private static partial Regex DescriptorPath();

    [GeneratedRegex(@"(""siblings"":\[""sha256:)([0-9a-f])")]
    private static partial Regex FirstSibling();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
