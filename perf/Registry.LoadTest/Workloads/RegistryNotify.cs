using System.Buffers.Text;
using System.Net;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// Change notification on svc-registry: N SSE subscribers on <c>GET /registry/stream</c> (resuming from the HEAD
/// at the start, so none can miss a commit by connecting late) and one writer committing at the offered rate.
/// The chain forces the writer to be closed-loop: the next proposal needs the hash of the commit before it, so
/// each commit is propose → 3 approvals → commit on the new HEAD; when that takes longer than 1/rate the
/// achieved rate is lower and reported as such.
/// </summary>
public static class RegistryNotify
{
    /// <summary>One repetition.</summary>
    public static async Task<Repetition> RunAsync(RegistryClient writer, int subscribers, int rate, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var head = await writer.HeadAsync();
        var baseVersion = head.Version;
        var tracker = new DeliveryTracker((int)(rate * duration.TotalSeconds) + 16, subscribers);
        using var http = HttpClients.Create(writer.Http.BaseAddress!, subscribers + 1, Timeout.InfiniteTimeSpan);
        using var stop = new CancellationTokenSource();
        var connected = Enumerable.Range(0, subscribers).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var readers = Enumerable.Range(0, subscribers).Select(i => Task.Run(() => SubscribeAsync(http, i, baseVersion, tracker, connected[i], stop.Token))).ToArray();
        await Task.WhenAll(connected.Select(c => c.Task)).WaitAsync(TimeSpan.FromSeconds(30));

        var pacer = new Pacer(rate);
        long k = 0;
        var errors = 0L;
        while (pacer.Elapsed < duration.TotalSeconds && head.Version - baseVersion < tracker.Capacity)
        {
            var (proposed, id) = await writer.ProposeAsync(head, [Payload.PutChange(Payload.Node("node:perf-notify", 0, head.Version))], TimeSpan.FromMinutes(1));
            if (proposed != HttpStatusCode.Accepted || await writer.ApproveQuorumAsync(id!) != HttpStatusCode.OK)
            {
                errors++;
                head = await writer.HeadAsync();
                continue;
            }

            await pacer.WaitAsync(k, stop.Token);
            tracker.Sending((int)(head.Version + 1 - baseVersion));
            var (committed, next) = await writer.CommitAsync(id!);
            if (committed == HttpStatusCode.Created)
            {
                tracker.Acknowledge();
                head = next!.Value;
                k++;
            }
            else
            {
                errors++;
                head = await writer.HeadAsync();
            }
        }

        var writeSeconds = pacer.Elapsed;
        var lastSeq = (int)(head.Version - baseVersion);
        await tracker.DrainAsync(lastSeq);

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        var rep = tracker.Summarize(lastSeq, writeSeconds, rate);
        return rep with { Errors = rep.Errors + errors };
    }

    private static async Task SubscribeAsync(HttpClient http, int subscriber, long baseVersion, DeliveryTracker tracker, TaskCompletionSource connected, CancellationToken stop)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream");
            request.Headers.Add("Last-Event-ID", baseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop);
            response.EnsureSuccessStatusCode();
            connected.TrySetResult();
            await using var body = await response.Content.ReadAsStreamAsync(stop);
            await StreamLines.ReadAsync(body, line =>
            {
                if (line.StartsWith("id: "u8) && Utf8Parser.TryParse(line[4..], out long version, out _))
                {
                    tracker.Received(subscriber, (int)(version - baseVersion));
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
