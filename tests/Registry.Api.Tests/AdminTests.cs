using System.Diagnostics;
using System.Globalization;
using System.Net;
using Registry.Api.Metrics;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests;

/// <summary>The admin listener (SPEC §3): health, readiness, version, and metrics that promtool accepts.</summary>
public sealed class AdminTests
{
    private static readonly string[] s_requiredMetrics =
    [
        "http_requests_total", "request_latency_seconds_bucket", "rejected_total", "bus_lagged_total",
        "registry_checkpoint_age_seconds", "commit_latency_seconds_bucket", "registry_head_version",
        "registry_commits_total", "registry_pending_proposals", "registry_sse_clients", "registry_recoveries_total",
        "approval_verify_seconds_bucket", "inflight_requests",

        // prometheus-net's process and GC metrics (DotNetStats), as a live scrape on Linux shows them.
        "process_cpu_seconds_total", "process_working_set_bytes", "process_private_memory_bytes", "process_virtual_memory_bytes",
        "process_open_handles", "process_num_threads", "process_start_time_seconds", "dotnet_collection_count_total", "dotnet_total_memory_bytes",
    ];

    [Fact]
    public async Task Metrics_AfterTraffic_PassPromtoolAndNameEverySpecMetric()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        var driver = new Driver(service);
        await driver.CommitChangesAsync(Driver.Region("region:r"));
        using (await driver.PostAsync("/registry/proposals", "{}", token: "garbage"))
        {
        }

        using (await service.Api.GetAsync("/no/such/route"))
        {
        }

        using var scrape = await service.Admin.GetAsync("/metrics");
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var text = await scrape.Content.ReadAsStringAsync();
        foreach (var name in s_requiredMetrics)
        {
            Assert.Contains("\n" + name, "\n" + text, StringComparison.Ordinal);
        }

        Assert.Contains("registry_head_version 1", text, StringComparison.Ordinal);
        Assert.Contains("rejected_total{reason=\"auth\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("rejected_total{reason=\"busy\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("registry_commits_total{outcome=\"committed\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("registry_recoveries_total{kind=\"fresh\"} 1", text, StringComparison.Ordinal);

        // route is the route template, as the alert rules and the dashboard select it.
        Assert.Contains("http_requests_total{route=\"/registry/commit/{id}\",method=\"POST\",code=\"201\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_total{route=\"/registry/approvals/{id}\",method=\"POST\",code=\"200\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_total{route=\"/registry/proposals\",method=\"POST\",code=\"401\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_total{route=\"unmatched\",method=\"GET\",code=\"404\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("request_latency_seconds_count{route=\"/registry/commit/{id}\",method=\"POST\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("request_latency_seconds_count{route=\"/registry/log\",method=\"GET\"} 0", text, StringComparison.Ordinal);

        // Every histogram has the buckets 0.5 ms .. 10 s and +Inf.
        var buckets = string.Join(',', RegistryMetrics.LatencyBuckets.Select(b => b.ToString("R", CultureInfo.InvariantCulture))) + ",+Inf";
        foreach (var histogram in new[] { "commit_latency_seconds_bucket{", "approval_verify_seconds_bucket{", "request_latency_seconds_bucket{route=\"/registry/commit/{id}\",method=\"POST\"," })
        {
            var les = text.Split('\n').Where(l => l.StartsWith(histogram, StringComparison.Ordinal)).Select(l => l[(l.IndexOf("le=\"", StringComparison.Ordinal) + 4)..l.LastIndexOf('"')]);
            Assert.Equal(buckets, string.Join(',', les));
        }

        var (exit, output) = await RunAsync("promtool", ["check", "metrics"], text);
        Assert.True(exit == 0, "promtool check metrics failed:\n" + output);
    }

    [Fact]
    public async Task Health_Readiness_Version_ReportTheRunningService()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        using var health = await service.Admin.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var ready = await Driver.JsonAsync(await service.Admin.GetAsync("/readyz"));
        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.True(ready.GetProperty("write_ready").GetBoolean());
        Assert.Equal(0, ready.GetProperty("missing").GetArrayLength());
        var version = await Driver.JsonAsync(await service.Admin.GetAsync("/version"));
        Assert.Equal("svc-registry", version.GetProperty("service").GetString());
        Assert.True(version.GetProperty("features").GetProperty("amnesia").GetBoolean());
    }

    [Fact]
    public async Task Sigterm_DrainsAndLogsShutdownComplete_ExitsZero()
    {
        var service = await RegistryProcess.StartAsync(args: ["--amnesia"]);
        await using (service)
        {
            await using var stream = await SseReader.OpenAsync(service.Api);
            Assert.Equal(0, await service.StopAsync());
            Assert.Contains(service.Lines, l => l.Contains("shutdown_complete=1", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task UnknownConfigKey_StopsStartupNamingTheKey()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_LIMITS__MAX_BODDY_BYTES"] = "5" }, waitReady: false);
        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(service.Lines, l => l.Contains("unknown key 'limits.max_boddy_bytes'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutOfRangeValue_StopsStartupNamingTheKey()
    {
        await using var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["SVCR_STREAM__HEARTBEAT_SECONDS"] = "0" }, waitReady: false);
        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(service.Lines, l => l.Contains("'stream.heartbeat_seconds' = 0 is out of range", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TomlFileWithUnknownKey_StopsStartupNamingFileLineAndKey()
    {
        var dir = Directory.CreateTempSubdirectory("svcr-config-").FullName;
        var path = Path.Combine(dir, "svc-registry.toml");
        await File.WriteAllTextAsync(path, "[service]\namnesia = true\n\n[limits]\nmax_inflight = 10\nmax_inflite = 5\n");
        await using var service = await RegistryProcess.StartAsync(dataDir: dir, args: ["--config", path], waitReady: false);
        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(service.Lines, l => l.Contains(path + ":6:1: unknown key 'limits.max_inflite'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckConfig_ValidAndInvalid_Exit0And2WithoutBinding()
    {
        var (ok, okOutput) = await RunAsync("dotnet", [RegistryProcess.ServiceDll, "--check-config", "--amnesia"]);
        Assert.True(ok == 0, okOutput);
        Assert.Contains("configuration OK", okOutput, StringComparison.Ordinal);
        var (bad, badOutput) = await RunAsync("dotnet", [RegistryProcess.ServiceDll, "--check-config", "--amnesia", "--no-such-flag"]);
        Assert.Equal(2, bad);
        Assert.Contains("--no-such-flag", badOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnderSystemd_NotifySocket_ReceivesReadyThenStopping()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("svcr-notify-").FullName, "notify.sock");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        var service = await RegistryProcess.StartAsync(args: ["--amnesia"], env: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = path });
        await using (service)
        {
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal("READY=1", System.Text.Encoding.UTF8.GetString(buffer, 0, read));
            var stopping = socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None);
            Assert.Equal(0, await service.StopAsync());
            Assert.Equal("STOPPING=1", System.Text.Encoding.UTF8.GetString(buffer, 0, await stopping.WaitAsync(TimeSpan.FromSeconds(10))));
        }
    }

    internal static async Task<(int Exit, string Output)> RunAsync(string file, string[] args, string? stdin = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
