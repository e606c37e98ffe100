using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// A read of a version far behind HEAD: svc-registry keeps the newest <c>storage.history_window</c> (1024)
/// versions in memory and rebuilds older ones from an anchor plus the log; etcd ranges <c>desc/</c> at the
/// matching old revision (its MVCC store keeps every revision until compaction). Every descriptor at that version
/// comes back; time until the whole body has been read.
/// </summary>
public static class OldVersionRead
{
    /// <summary>GET /registry/{version}.</summary>
    public static async Task<Repetition> RegistryAsync(HttpClient http, long version)
    {
        ArgumentNullException.ThrowIfNull(http);
        var start = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync($"/registry/{version}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return Done(start, response.IsSuccessStatusCode, bytes.Length, version);
    }

    /// <summary>Serializable range of desc/ at <paramref name="revision"/>.</summary>
    public static async Task<Repetition> EtcdAsync(HttpClient http, long revision)
    {
        ArgumentNullException.ThrowIfNull(http);
        var prefix = Encoding.UTF8.GetBytes(Payload.KeyPrefix);
        var json = $$"""{"key":"{{EtcdClient.B64(prefix)}}","range_end":"{{EtcdClient.B64(EtcdClient.PrefixEnd(prefix))}}","revision":"{{revision.ToString(CultureInfo.InvariantCulture)}}","serializable":true}""";
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var start = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync("/v3/kv/range", content);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return Done(start, response.IsSuccessStatusCode, bytes.Length, revision);
    }

    private static Repetition Done(long start, bool ok, int bytes, long at) => new()
    {
        DurationMs = Math.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds, 2),
        Count = ok ? 1 : 0,
        Errors = ok ? 0 : 1,
        Extra = new Dictionary<string, double> { ["response_bytes"] = bytes, ["version_or_revision"] = at },
    };
}
