using System.Diagnostics;
using System.Net;
using System.Text;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Replica lag (issue 15): a pre-signed open-loop writer on the primary at the offered rate (as workload 4b), one SSE
/// subscriber on the <c>--follow</c> replica's <c>GET /registry/stream</c>. Lag of write k = the time the replica's
/// frame for it arrived − the time the primary's 201 for it arrived, both on this process's clock. The replica's frame
/// is sent when the replica has verified, stored and published the version, so it is the moment the replica serves it,
/// to the resolution of one loopback read; polling its head would add the poll interval. A frame that arrives before
/// the primary's answer (possible: the primary publishes before its response is written) counts as 0 ms and is counted
/// in <c>frames_before_ack</c>. A second subscriber on the primary's own stream gives <c>primary_frame_p50_ms</c> /
/// <c>primary_frame_p99_ms</c> (the primary's 201 → the primary's frame): the part of the lag that is the primary's
/// delivery, before the replica hears of the commit at all.
/// </summary>
public static class ReplicaLag
{
    private static int s_run;

    /// <summary>One repetition.</summary>
    public static async Task<Repetition> RunAsync(RegistryClient primary, Uri replica, int rate, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(primary);
        var head = await primary.HeadAsync();
        await WaitForVersionAsync(replica, head.Version);
        var runNumber = Interlocked.Increment(ref s_run);
        var marker = Encoding.UTF8.GetBytes($"rlag-{runNumber:0000}-");
        var capacity = (int)(rate * duration.TotalSeconds) + 16;
        var bodies = Enumerable.Range(1, capacity)
            .Select(k => primary.PreSigned(head, Payload.Node($"node:rlag-{runNumber:0000}-{k:0000000}", k, 0), TimeSpan.FromMinutes(10)))
            .ToArray();
        var ackAt = new long[capacity + 1];
        var frameAt = new long[capacity + 1];
        using var run = await NotifyRun.StartAsync(
            replica,
            1,
            capacity,
            () => RegistryNotify.StreamRequest(head.Version),
            (line, subscriber, tracker) =>
            {
                if (RegistryNotify.TryMarkedSequence(line, marker, out var seq) && seq > 0 && seq <= capacity)
                {
                    Volatile.Write(ref frameAt[seq], Stopwatch.GetTimestamp());
                    tracker.Received(subscriber, seq);
                }
                else
                {
                    RegistryNotify.CountLagged(line, tracker);
                }
            });
        // The primary's own frames, on a stream of their own: how much of the lag is the primary's delivery (workload 4b).
        var primaryFrameAt = new long[capacity + 1];
        using var primaryStop = new CancellationTokenSource();
        using var primaryStream = HttpClients.Create(primary.Http.BaseAddress!, 1, Timeout.InfiniteTimeSpan);
        var primaryConnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var primaryReader = Task.Run(() => ReadPrimaryAsync(primaryStream, head.Version, marker, primaryFrameAt, primaryConnected, primaryStop.Token));
        await primaryConnected.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var rep = await run.OpenLoopAsync(rate, duration, async seq =>
        {
            var created = (await primary.SubmitAsync(bodies[seq - 1])).Status == HttpStatusCode.Created;
            Volatile.Write(ref ackAt[seq], Stopwatch.GetTimestamp());
            return created;
        });

        await primaryStop.CancelAsync();
        await primaryReader;
        var atPrimary = Lag(ackAt, primaryFrameAt, out _);
        var recorder = Lag(ackAt, frameAt, out var early);

        var (p50, p95, p99, max) = recorder.Percentiles();
        rep.Extra["frames_before_ack"] = early;
        var (primaryP50, _, primaryP99, _) = atPrimary.Percentiles();
        rep.Extra["primary_frame_p50_ms"] = primaryP50;
        rep.Extra["primary_frame_p99_ms"] = primaryP99;
        return rep with { P50Ms = p50, P95Ms = p95, P99Ms = p99, MaxMs = max, Count = recorder.Count };
    }

    /// <summary>Frame time − answer time of every write that has both (a frame before its answer counts as 0 ms, in <paramref name="early"/>).</summary>
    private static LatencyRecorder Lag(long[] ackAt, long[] frameAt, out int early)
    {
        var recorder = new LatencyRecorder();
        early = 0;
        for (var seq = 1; seq < ackAt.Length; seq++)
        {
            var (ack, frame) = (Volatile.Read(ref ackAt[seq]), Volatile.Read(ref frameAt[seq]));
            if (ack == 0 || frame == 0)
            {
                continue;
            }

            early += frame < ack ? 1 : 0;
            recorder.Record(Math.Max(0, frame - ack));
        }

        return recorder;
    }

    private static async Task ReadPrimaryAsync(HttpClient http, long from, byte[] marker, long[] frameAt, TaskCompletionSource connected, CancellationToken stop)
    {
        try
        {
            using var request = RegistryNotify.StreamRequest(from);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            connected.TrySetResult();
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            await StreamLines.ReadAsync(body, line =>
            {
                if (RegistryNotify.TryMarkedSequence(line, marker, out var seq) && seq > 0 && seq < frameAt.Length)
                {
                    Volatile.Write(ref frameAt[seq], Stopwatch.GetTimestamp());
                }

                return true;
            }, stop);
        }
        catch (OperationCanceledException)
        {
            // The repetition is over.
        }
        catch (IOException) when (stop.IsCancellationRequested)
        {
            // Closed by the cancellation.
        }
        catch (HttpRequestException ex)
        {
            connected.TrySetException(ex);
        }
    }

    /// <summary>Polls <paramref name="node"/>'s head every 20 ms until it is at least <paramref name="version"/> (at most 120 s); the time it took.</summary>
    public static async Task<TimeSpan> WaitForVersionAsync(Uri node, long version, TimeSpan? limit = null)
    {
        using var http = HttpClients.Create(node, 1);
        var clock = Stopwatch.StartNew();
        var deadline = limit ?? TimeSpan.FromSeconds(120);
        while (true)
        {
            using (var response = await http.GetAsync("/registry/head"))
            {
                if (response.IsSuccessStatusCode && ReadVersion(await response.Content.ReadAsByteArrayAsync()) >= version)
                {
                    return clock.Elapsed;
                }
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"{node} did not reach version {version} within {deadline.TotalSeconds:0} s");
            }

            await Task.Delay(20);
        }
    }

    private static long ReadVersion(byte[] body)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("version").GetInt64();
    }
}
