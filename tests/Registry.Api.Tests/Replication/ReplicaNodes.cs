using System.Net;
using System.Text.Json;
using Registry.Api.Tests.Support;
using Registry.Testing;

namespace Registry.Api.Tests.Replication;

/// <summary>Starting replicas as real processes, and waiting (on the stream, never by sleeping) for a node to reach a version.</summary>
internal static class ReplicaNodes
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static string UrlOf(RegistryProcess node) => $"http://127.0.0.1:{node.ApiPort}";

    /// <summary>A replica following <paramref name="upstream"/> (dev mode, like the primary: the same trust roots).</summary>
    public static Task<RegistryProcess> StartAsync(string upstreamUrl, string? dataDir = null, bool amnesia = false, IDictionary<string, string>? env = null, (int Api, int Admin)? ports = null, IEnumerable<string>? extraArgs = null, bool waitReady = true)
    {
        dataDir ??= Directory.CreateTempSubdirectory("svcr-replica-").FullName;
        var args = new List<string> { "--data-dir", dataDir, "--follow", upstreamUrl };
        if (amnesia)
        {
            args.Add("--amnesia");
        }

        args.AddRange(extraArgs ?? []);
        return RegistryProcess.StartAsync(dataDir, args, env, waitReady, ports);
    }

    public static Task<RegistryProcess> StartAsync(RegistryProcess upstream, string? dataDir = null, bool amnesia = false, IDictionary<string, string>? env = null) =>
        StartAsync(UrlOf(upstream), dataDir, amnesia, env);

    public static async Task<long> HeadVersionAsync(HttpClient api)
    {
        using var response = await api.GetAsync("/registry/head");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Driver.JsonAsync(response)).GetProperty("version").GetInt64();
    }

    /// <summary>Returns once the node's HEAD is at least <paramref name="version"/>: reads its stream from its HEAD until then.</summary>
    public static async Task WaitForVersionAsync(HttpClient api, long version)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var head = await HeadVersionAsync(api);
        if (head >= version)
        {
            return;
        }

        await using var stream = await SseReader.OpenAsync(api, head);
        while (true)
        {
            var next = await stream.NextAsync(Deadline);
            Assert.True(next is not null, $"the stream ended before version {version}");
            if (next!.Value.Version >= version)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Waits until the node holds a checkpoint (<c>GET /registry/checkpoints/latest</c> answers 200): checkpoints are
    /// written in the background at low priority, and on a loaded machine the first one can come many commits late.
    /// </summary>
    public static Task WaitForCheckpointAsync(HttpClient api) => Poll.UntilAsync(
        async () =>
        {
            using var latest = await api.GetAsync("/registry/checkpoints/latest", HttpCompletionOption.ResponseHeadersRead);
            Assert.True(latest.StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.NotFound, $"GET /registry/checkpoints/latest: {latest.StatusCode}");
            return latest.StatusCode == System.Net.HttpStatusCode.OK;
        },
        Deadline,
        TimeSpan.FromMilliseconds(20),
        () => throw new TimeoutException($"no checkpoint on {api.BaseAddress} within {Deadline}"));

    /// <summary>Waits for the replica's critical "replica: halted" line; on a timeout the failure shows its log.</summary>
    public static async Task WaitForHaltAsync(RegistryProcess replica)
    {
        try
        {
            await replica.WaitForLineAsync(l => l.Contains("replica: halted", StringComparison.Ordinal), Deadline);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException("the replica did not halt:\n" + string.Join('\n', replica.Lines), ex);
        }
    }

    /// <summary>POST to the admin listener with the dev token (scope registry:admin); returns the status and the JSON body.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> AdminPostAsync(RegistryProcess node, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Driver.Token);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await node.Admin.SendAsync(request);
        return (response.StatusCode, await Driver.JsonAsync(response));
    }

    public static async Task<JsonElement> ReadyAsync(RegistryProcess node) => await Driver.JsonAsync(await node.Admin.GetAsync("/readyz"));

    public static async Task<byte[]> BytesAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>Every commit record the node serves, as the bytes of its log pages.</summary>
    public static async Task<List<byte[]>> LogPagesAsync(HttpClient api, long head)
    {
        var pages = new List<byte[]>();
        for (long from = 1; from <= head; from += 1000)
        {
            pages.Add(await BytesAsync(api, $"/registry/log?from={from}&limit=1000"));
        }

        return pages;
    }
}
