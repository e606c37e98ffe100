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
        using var run = await NotifyRun.StartAsync(
            writer.Http.BaseAddress!,
            subscribers,
            (int)(rate * duration.TotalSeconds) + 16,
            () => StreamRequest(baseVersion),
            (line, subscriber, tracker) =>
            {
                if (line.StartsWith("id: "u8) && Utf8Parser.TryParse(line[4..], out long version, out _))
                {
                    tracker.Received(subscriber, (int)(version - baseVersion));
                }
                else
                {
                    CountLagged(line, tracker);
                }
            });
        var tracker = run.Tracker;
        var pacer = new Pacer(rate);
        long k = 0;
        while (pacer.Elapsed < duration.TotalSeconds && head.Version - baseVersion < tracker.Capacity)
        {
            var (proposed, id) = await writer.ProposeAsync(head, [Payload.PutChange(Payload.Node("node:perf-notify", 0, head.Version))], TimeSpan.FromMinutes(1));
            if (proposed != HttpStatusCode.Accepted || await writer.ApproveQuorumAsync(id!) != HttpStatusCode.OK)
            {
                run.Error();
                head = await writer.HeadAsync();
                continue;
            }

            await pacer.WaitAsync(k, run.Stopping);
            var seq = (int)(head.Version + 1 - baseVersion);
            tracker.Sending(seq);
            var (committed, next) = await writer.CommitAsync(id!);
            if (committed == HttpStatusCode.Created)
            {
                tracker.Acknowledge(seq);
                head = next!.Value;
                k++;
            }
            else
            {
                run.Error();
                head = await writer.HeadAsync();
            }
        }

        return await run.FinishAsync((int)(head.Version - baseVersion), pacer.Elapsed, rate);
    }

    /// <summary><c>GET /registry/stream</c> resumed after <paramref name="version"/> (<c>Last-Event-ID</c>).</summary>
    public static HttpRequestMessage StreamRequest(long version)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream");
        request.Headers.Add("Last-Event-ID", version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>
    /// The write sequence number in a <c>data:</c> line whose descriptor id carries <paramref name="marker"/>
    /// (<c>&lt;marker&gt;&lt;seq&gt;</c>), as the open-loop workloads name their descriptors.
    /// </summary>
    public static bool TryMarkedSequence(ReadOnlySpan<byte> line, byte[] marker, out int seq)
    {
        var at = line.StartsWith("data: "u8) ? line.IndexOf(marker) : -1;
        seq = 0;
        return at >= 0 && System.Buffers.Text.Utf8Parser.TryParse(line[(at + marker.Length)..], out seq, out _);
    }

    /// <summary>Counts the stream's <c>event: lagged</c> frame (the subscriber fell behind and was dropped).</summary>
    public static void CountLagged(ReadOnlySpan<byte> line, DeliveryTracker tracker)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        if (line.SequenceEqual("event: lagged"u8))
        {
            tracker.Lagged();
        }
    }
}
