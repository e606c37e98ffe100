using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Text;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Change notification on svc-registry with an open-loop writer, as etcd's is: N SSE subscribers on
/// <c>GET /registry/stream</c> (resumed from the HEAD at the start) and pre-signed submissions
/// (<c>POST /registry/commits</c>) at the offered rate with up to 256 in flight. Submission k puts descriptor
/// <c>node:pnotify-&lt;run&gt;-&lt;k&gt;</c>, all on the HEAD read at the start: the scoped compare-and-swap lets
/// every one commit on whatever HEAD it meets, so the writer never waits for the previous hash. Subscribers map
/// an event to its write by the descriptor id in the event's data (as etcd's watchers do by key). Bodies are
/// signed before the clock starts.
/// </summary>
public static class RegistryPreSignedNotify
{
    private static int s_run;

    /// <summary>One repetition.</summary>
    public static async Task<Repetition> RunAsync(RegistryClient writer, int subscribers, int rate, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var head = await writer.HeadAsync();
        var run = Interlocked.Increment(ref s_run);
        var marker = Encoding.UTF8.GetBytes($"pnotify-{run:0000}-");
        var capacity = (int)(rate * duration.TotalSeconds) + 16;
        var bodies = Enumerable.Range(1, capacity)
            .Select(k => writer.PreSigned(head, Payload.Node($"node:pnotify-{run:0000}-{k:0000000}", k, 0), TimeSpan.FromMinutes(10)))
            .ToArray();
        var tracker = new DeliveryTracker(capacity, subscribers);
        using var http = HttpClients.Create(writer.Http.BaseAddress!, subscribers + 1, Timeout.InfiniteTimeSpan);
        using var stop = new CancellationTokenSource();
        var connected = Enumerable.Range(0, subscribers).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var readers = Enumerable.Range(0, subscribers).Select(i => Task.Run(() => SubscribeAsync(http, i, head.Version, marker, tracker, connected[i], stop.Token))).ToArray();
        await Task.WhenAll(connected.Select(c => c.Task)).WaitAsync(TimeSpan.FromSeconds(30));

        using var inFlight = new SemaphoreSlim(256);
        var submits = new List<Task>();
        var errors = 0L;
        var pacer = new Pacer(rate);
        var seq = 0;
        while (pacer.Elapsed < duration.TotalSeconds && seq < tracker.Capacity)
        {
            await pacer.WaitAsync(seq, stop.Token);
            await inFlight.WaitAsync(stop.Token);
            var s = ++seq;
            tracker.Sending(s);
            submits.Add(SubmitAsync(s));
        }

        await Task.WhenAll(submits);
        var writeSeconds = pacer.Elapsed;
        await tracker.DrainAsync(seq);

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var rep = tracker.Summarize(seq, writeSeconds, rate);
        return rep with { Errors = rep.Errors + Interlocked.Read(ref errors) };

        async Task SubmitAsync(int s)
        {
            try
            {
                var (status, _) = await writer.SubmitAsync(bodies[s - 1]);
                if (status == HttpStatusCode.Created)
                {
                    tracker.Acknowledge();
                }
                else
                {
                    tracker.Refused(s);
                    Interlocked.Increment(ref errors);
                }
            }
            catch (HttpRequestException)
            {
                tracker.Refused(s);
                Interlocked.Increment(ref errors);
            }
            finally
            {
                inFlight.Release();
            }
        }
    }

    private static async Task SubscribeAsync(HttpClient http, int subscriber, long baseVersion, byte[] marker, DeliveryTracker tracker, TaskCompletionSource connected, CancellationToken stop)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream");
            request.Headers.Add("Last-Event-ID", baseVersion.ToString(CultureInfo.InvariantCulture));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            connected.TrySetResult();
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            await StreamLines.ReadAsync(body, line =>
            {
                var at = line.StartsWith("data: "u8) ? line.IndexOf(marker) : -1;
                if (at >= 0 && Utf8Parser.TryParse(line[(at + marker.Length)..], out int seq, out _))
                {
                    tracker.Received(subscriber, seq);
                }
                else if (line.SequenceEqual("event: lagged"u8))
                {
                    tracker.Lagged();
                }

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
}
