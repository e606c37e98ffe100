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
        var runNumber = Interlocked.Increment(ref s_run);
        var marker = Encoding.UTF8.GetBytes($"pnotify-{runNumber:0000}-");
        var capacity = (int)(rate * duration.TotalSeconds) + 16;
        var bodies = Enumerable.Range(1, capacity)
            .Select(k => writer.PreSigned(head, Payload.Node($"node:pnotify-{runNumber:0000}-{k:0000000}", k, 0), TimeSpan.FromMinutes(10)))
            .ToArray();
        using var run = await NotifyRun.StartAsync(
            writer.Http.BaseAddress!,
            subscribers,
            capacity,
            () => RegistryNotify.StreamRequest(head.Version),
            (line, subscriber, tracker) =>
            {
                if (RegistryNotify.TryMarkedSequence(line, marker, out var seq))
                {
                    tracker.Received(subscriber, seq);
                }
                else
                {
                    RegistryNotify.CountLagged(line, tracker);
                }
            });
        return await run.OpenLoopAsync(rate, duration, async seq => (await writer.SubmitAsync(bodies[seq - 1])).Status == HttpStatusCode.Created);
    }
}
