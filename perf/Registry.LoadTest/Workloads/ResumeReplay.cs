using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Workload 5: a subscriber that comes back after a long absence replays every change since its position:
/// <c>GET /registry/stream</c> with <c>Last-Event-ID</c>, against an etcd watch on <c>desc/</c> with
/// <c>start_revision</c>. Time from the request to the last historical event received, new connection each time.
/// </summary>
public static class ResumeReplay
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Replays the registry stream after <paramref name="fromVersion"/> up to <paramref name="toVersion"/>.</summary>
    public static async Task<Repetition> RegistryAsync(Uri baseAddress, long fromVersion, long toVersion)
    {
        using var http = HttpClients.Create(baseAddress, 1, s_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream");
        request.Headers.Add("Last-Event-ID", fromVersion.ToString(CultureInfo.InvariantCulture));
        long events = 0, last = fromVersion;
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        await StreamLines.ReadAsync(body, line =>
        {
            if (line.StartsWith("id: "u8) && Utf8Parser.TryParse(line[4..], out long id, out _))
            {
                events++;
                last = id;
            }

            return last < toVersion;
        }, timeout.Token);
        return Done(start, events, toVersion - fromVersion);
    }

    /// <summary>Replays etcd's changes under desc/ from <paramref name="fromRevision"/> until <paramref name="expected"/> events arrived.</summary>
    public static async Task<Repetition> EtcdAsync(Uri baseAddress, long fromRevision, long expected)
    {
        using var http = HttpClients.Create(baseAddress, 1, s_timeout);
        var prefix = Encoding.UTF8.GetBytes(Payload.KeyPrefix);
        var json = $$$"""{"create_request":{"key":"{{{EtcdClient.B64(prefix)}}}","range_end":"{{{EtcdClient.B64(EtcdClient.PrefixEnd(prefix))}}}","start_revision":"{{{fromRevision}}}"}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/watch") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        long events = 0;
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        await StreamLines.ReadAsync(body, line =>
        {
            // One watch response carries a batch of events, each {"kv":{...}}.
            for (var rest = line; rest.IndexOf("{\"kv\":{"u8) is var at && at >= 0; rest = rest[(at + 7)..])
            {
                events++;
            }

            return events < expected;
        }, timeout.Token);
        return Done(start, events, expected);
    }

    private static Repetition Done(long start, long events, long expected)
    {
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new Repetition
        {
            DurationMs = Math.Round(seconds * 1000, 1),
            Throughput = Math.Round(events / seconds),
            Count = events,
            Errors = Math.Max(0, expected - events),
            Extra = new Dictionary<string, double> { ["events"] = events },
        };
    }
}
