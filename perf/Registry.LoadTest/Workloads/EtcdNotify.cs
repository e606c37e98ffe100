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
        var tracker = new DeliveryTracker((int)(rate * duration.TotalSeconds) + 16, subscribers);
        using var http = HttpClients.Create(client.Http.BaseAddress!, subscribers + 1, Timeout.InfiniteTimeSpan);
        using var stop = new CancellationTokenSource();
        var connected = Enumerable.Range(0, subscribers).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var readers = Enumerable.Range(0, subscribers).Select(i => Task.Run(() => WatchAsync(http, i, revision + 1, tracker, connected[i], stop.Token))).ToArray();
        await Task.WhenAll(connected.Select(c => c.Task)).WaitAsync(TimeSpan.FromSeconds(30));

        var value = Payload.Node("node:perf-notify", 0, 0).CanonicalBytes.ToArray();
        using var inFlight = new SemaphoreSlim(256);
        var puts = new List<Task>();
        var errors = 0L;
        var pacer = new Pacer(rate);
        var seq = 0;
        while (pacer.Elapsed < duration.TotalSeconds && seq < tracker.Capacity)
        {
            await pacer.WaitAsync(seq, stop.Token);
            await inFlight.WaitAsync(stop.Token);
            var s = ++seq;
            tracker.Sending(s);
            puts.Add(PutAsync(s));
        }

        await Task.WhenAll(puts);
        var writeSeconds = pacer.Elapsed;
        await tracker.DrainAsync(seq);

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var rep = tracker.Summarize(seq, writeSeconds, rate);
        return rep with { Errors = rep.Errors + Interlocked.Read(ref errors) };

        async Task PutAsync(int s)
        {
            try
            {
                await client.PutAsync(Key(s), value);
                tracker.Acknowledge();
            }
            catch (HttpRequestException)
            {
                Interlocked.Increment(ref errors);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    private static byte[] Key(int seq) => Encoding.UTF8.GetBytes($"notify/{seq:0000000}");

    private static async Task WatchAsync(HttpClient http, int subscriber, long fromRevision, DeliveryTracker tracker, TaskCompletionSource connected, CancellationToken stop)
    {
        try
        {
            var body = $$$"""{"create_request":{"key":"{{{EtcdClient.B64(s_prefix)}}}","range_end":"{{{EtcdClient.B64(EtcdClient.PrefixEnd(s_prefix))}}}","start_revision":"{{{fromRevision}}}"}}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/watch") { Content = new StringContent(body, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(stop);
            await StreamLines.ReadAsync(stream, line =>
            {
                connected.TrySetResult();
                ForEachKey(line, seq => tracker.Received(subscriber, seq));
                return true;
            }, stop);
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
        catch (HttpRequestException ex)
        {
            connected.TrySetException(ex);
        }
        catch (IOException) when (stop.IsCancellationRequested)
        {
            // Closed by the cancellation.
        }
    }

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
