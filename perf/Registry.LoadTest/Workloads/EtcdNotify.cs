using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Text;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Change notification on etcd: N watch streams (gateway <c>POST /v3/watch</c>, prefix <c>notify/</c>, from the
/// revision after the current one) and an open-loop writer that puts key <c>notify/&lt;seq&gt;</c> (a 256-byte
/// descriptor) at the offered rate, with up to 256 puts in flight so etcd can batch them into shared fsyncs.
/// </summary>
public static class EtcdNotify
{
    private static readonly byte[] s_prefix = Encoding.UTF8.GetBytes("notify/");

    /// <summary>One repetition.</summary>
    public static async Task<Repetition> RunAsync(EtcdClient client, int subscribers, int rate, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(client);
        var (_, revision) = await client.GetAsync(s_prefix);
        var watch = $$$"""{"create_request":{"key":"{{{EtcdClient.B64(s_prefix)}}}","range_end":"{{{EtcdClient.B64(EtcdClient.PrefixEnd(s_prefix))}}}","start_revision":"{{{revision + 1}}}"}}""";
        using var run = await NotifyRun.StartAsync(
            client.Http.BaseAddress!,
            subscribers,
            (int)(rate * duration.TotalSeconds) + 16,
            () =>
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/v3/watch") { Content = new StringContent(watch, Encoding.UTF8) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return request;
            },
            static (line, subscriber, tracker) => ForEachKey(line, seq => tracker.Received(subscriber, seq)),
            connectedAtFirstLine: true);
        var value = Payload.Node("node:perf-notify", 0, 0).CanonicalBytes.ToArray();
        return await run.OpenLoopAsync(rate, duration, async seq =>
        {
            await client.PutAsync(Key(seq), value);
            return true;
        });
    }

    private static byte[] Key(int seq) => Encoding.UTF8.GetBytes($"notify/{seq:0000000}");

    // Every "key":"<base64 of notify/NNNNNNN>" in one watch response line.
    private static void ForEachKey(ReadOnlySpan<byte> line, Action<int> onSeq)
    {
        Span<byte> key = stackalloc byte[64];
        while (true)
        {
            var at = line.IndexOf("\"key\":\""u8);
            if (at < 0)
            {
                return;
            }

            line = line[(at + 7)..];
            var end = line.IndexOf((byte)'"');
            if (end < 0)
            {
                return;
            }

            if (Base64.DecodeFromUtf8(line[..end], key, out _, out var written) == System.Buffers.OperationStatus.Done
                && key[..written].StartsWith(s_prefix)
                && Utf8Parser.TryParse(key[s_prefix.Length..written], out int seq, out _))
            {
                onSeq(seq);
            }

            line = line[end..];
        }
    }
}
