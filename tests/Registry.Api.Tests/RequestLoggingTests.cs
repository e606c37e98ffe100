using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>
/// Serilog.AspNetCore's request logging: one JSON line per API request at <c>log.request_level</c> (default debug,
/// below the default level, so none), with corr_id, method, route template, status and latency.
/// </summary>
public sealed class RequestLoggingTests
{
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AtRequestLevelInfo_EachRequestLogsOneLineWithRouteTemplateStatusLatencyAndCorrId()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_LOG__REQUEST_LEVEL"] = "info" });
        await SendAsync(service, "/registry/head", "req-head-1", HttpStatusCode.OK);
        await SendAsync(service, "/registry/0/descriptors/region:none", "req-templ-1", HttpStatusCode.NotFound);
        await SendAsync(service, "/no/such/route", "req-none-1", HttpStatusCode.NotFound);

        var head = await LineAsync(service, "req-head-1");
        Assert.Equal("info", head.GetProperty("level").GetString());
        Assert.Equal("Serilog.AspNetCore.RequestLoggingMiddleware", head.GetProperty("logger").GetString());
        Assert.Equal("req-head-1", head.GetProperty("corr_id").GetString());
        Assert.Equal("GET", head.GetProperty("method").GetString());
        Assert.Equal("/registry/head", head.GetProperty("route").GetString());
        Assert.Equal(200, head.GetProperty("status").GetInt32());
        var latency = head.GetProperty("latency_ms").GetDouble();
        Assert.InRange(latency, 0, s_deadline.TotalMilliseconds);
        Assert.Equal(
            $"http corr_id=req-head-1 method=GET route=/registry/head status=200 latency_ms={latency.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            head.GetProperty("msg").GetString());

        var templated = await LineAsync(service, "req-templ-1");
        Assert.Equal("/registry/{version:long}/descriptors/{**id}", templated.GetProperty("route").GetString());
        Assert.Equal("/registry/0/descriptors/region:none", templated.GetProperty("path").GetString());
        Assert.Equal(404, templated.GetProperty("status").GetInt32());

        var unmatched = await LineAsync(service, "req-none-1");
        Assert.Equal("unmatched", unmatched.GetProperty("route").GetString());

        Assert.Equal(0, await service.StopAsync());
        Assert.Single(service.Lines, l => l.Contains("http corr_id=req-head-1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ByDefault_RequestLinesAreBelowTheLevelAndNotWritten()
    {
        var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using (service)
        {
            await SendAsync(service, "/registry/head", "req-quiet-1", HttpStatusCode.OK);
            await SendAsync(service, "/no/such/route", "req-quiet-2", HttpStatusCode.NotFound);

            // The API listener drains before shutdown_complete=1, and the process's output is read to its end.
            Assert.Equal(0, await service.StopAsync());
            Assert.Contains(service.Lines, l => l.Contains("shutdown_complete=1 service=svc-registry", StringComparison.Ordinal));
            Assert.DoesNotContain(service.Lines, l => l.Contains("req-quiet-", StringComparison.Ordinal));
            Assert.DoesNotContain(service.Lines, l => l.Contains("RequestLoggingMiddleware", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Sighup_RequestLevelInfo_TurnsRequestLinesOn()
    {
        var dev = await DevConfigFile.WriteAsync("svcr-reqlog-");
        var (config, file) = (dev.Path, dev.Text);
        await using var service = await RegistryProcess.StartAsync(dataDir: dev.Directory, args: dev.Args);

        await File.WriteAllTextAsync(config, file + "[log]\nrequest_level = \"warn\"\n");
        service.Signal(1);
        await service.WaitForLineAsync(l => l.Contains("reload=1", StringComparison.Ordinal), s_deadline);
        await SendAsync(service, "/registry/head", "req-loud-1", HttpStatusCode.OK);
        Assert.Equal("warn", (await LineAsync(service, "req-loud-1")).GetProperty("level").GetString());
    }

    [Fact]
    public async Task UnknownRequestLevel_StopsStartupNamingTheKey()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_LOG__REQUEST_LEVEL"] = "loud" }, waitReady: false);
        Assert.Equal(2, await service.WaitForExitAsync(s_deadline));
        Assert.Contains(service.Lines, l => l.Contains("'log.request_level' must be trace, debug, info, warn, error or fatal, got 'loud'", StringComparison.Ordinal));
    }

    private static async Task SendAsync(RegistryProcess service, string path, string corrId, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Corr-ID", corrId);
        using var response = await service.Api.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<JsonElement> LineAsync(RegistryProcess service, string corrId)
    {
        var line = await service.WaitForLineAsync(l => l.Contains($"\"msg\":\"http corr_id={corrId} ", StringComparison.Ordinal), s_deadline);
        return JsonDocument.Parse(line).RootElement.Clone();
    }
}
