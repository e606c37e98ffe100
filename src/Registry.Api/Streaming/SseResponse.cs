// Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html) for
// GET /registry/stream. ASP.NET Core 10's TypedResults.ServerSentEvents cannot write comment lines,
// and SPEC §4 requires a ": heartbeat" comment every 15 s, so this result writes the (simple) wire
// format itself: pre-built "event: commit / id / data" frames shared by all subscribers, "event: checkpoint" frames
// (no id: line, so Last-Event-ID stays a version), heartbeats, and a final "event: lagged" when the subscriber's
// buffer overflowed.
using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Registry.Api.ReadPlane;

namespace Registry.Api.Streaming;

/// <summary>One subscriber's stream: history after its resume point, then live commits, with no gap and no duplicate.</summary>
public sealed class SseResponse(long? resumeFrom, CommitFeed feed, VersionHistory history, TimeSpan heartbeat, int buffer, CancellationToken stopping) : IResult
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly byte[] s_heartbeat = ": heartbeat\n\n"u8.ToArray();

    /// <inheritdoc />
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, stopping);
        var cancel = linked.Token;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var body = response.BodyWriter;

        // Subscribe first, then send history up to the subscription's start: nothing falls in between.
        using var subscription = feed.Subscribe(buffer);
        var last = resumeFrom ?? subscription.StartVersion;
        await response.StartAsync(cancel);
        try
        {
            last = await ReplayAsync(body, last, subscription.StartVersion, cancel);

            // The newest checkpoint, so the subscriber can verify before the next signing: now if its position
            // reaches the checkpoint's head, else right after the commit that does.
            var checkpoints = new CheckpointOrder(feed.LatestCheckpoint);
            checkpoints.AfterCommits(body, last);

            await body.FlushAsync(cancel);
            await LiveAsync(subscription, body, last, checkpoints, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client disconnected or the service is stopping.
        }
        catch (IOException)
        {
            // The connection broke mid-write.
        }
    }

    // History after the resume point: recent frames from the feed's ring, older ones re-framed from the
    // log's raw commit events (no proposal is decoded on this path).
    private async Task<long> ReplayAsync(System.IO.Pipelines.PipeWriter body, long last, long until, CancellationToken cancel)
    {
        while (last < until)
        {
            if (feed.TryGetFrame(last + 1) is { } recent)
            {
                body.Write(recent.Bytes);
                last++;
            }
            else
            {
                var before = last;
                await foreach (var payload in history.ReadCommitPayloadsAsync(last + 1, until, cancel))
                {
                    var frame = CommitFrame.FromCommittedEvent(payload.Span);
                    if (frame.Version != last + 1)
                    {
                        throw new InvalidOperationException($"Storage returned commit {frame.Version} where {last + 1} was expected.");
                    }

                    body.Write(frame.Bytes);
                    last++;
                    if (body.UnflushedBytes > FlushThreshold)
                    {
                        await body.FlushAsync(cancel);
                    }

                    if (feed.TryGetFrame(last + 1) is not null)
                    {
                        break;
                    }
                }

                if (last == before)
                {
                    throw new InvalidOperationException($"Storage has no commit {last + 1} (HEAD was {until}).");
                }
            }

            if (body.UnflushedBytes > FlushThreshold)
            {
                await body.FlushAsync(cancel);
            }
        }

        return last;
    }

    private async Task LiveAsync(FeedSubscription subscription, System.IO.Pipelines.PipeWriter body, long last, CheckpointOrder checkpoints, CancellationToken cancel)
    {
        var reader = subscription.Reader;
        var beat = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        try
        {
            while (true)
            {
                while (reader.TryRead(out var frame))
                {
                    if (frame.IsCheckpoint)
                    {
                        checkpoints.Offer(frame);
                        checkpoints.AfterCommits(body, last);
                    }
                    else if (frame.Version > last)
                    {
                        body.Write(frame.Bytes);
                        last = frame.Version;
                        checkpoints.AfterCommits(body, last);
                    }
                }

                await body.FlushAsync(cancel);
                beat.CancelAfter(heartbeat);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(beat.Token);
                }
                catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
                {
                    body.Write(s_heartbeat);
                    if (!beat.TryReset())
                    {
                        beat.Dispose();
                        beat = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                    }

                    continue;
                }

                if (!more)
                {
                    if (subscription.Lagged)
                    {
                        body.Write(Encoding.ASCII.GetBytes($"event: lagged\ndata: {{\"last_event_id\":{last}}}\n\n"));
                        await body.FlushAsync(cancel);
                    }

                    return;
                }

                beat.CancelAfter(Timeout.InfiniteTimeSpan);
            }
        }
        finally
        {
            beat.Dispose();
        }
    }

    // A checkpoint frame goes out once, after the commit of its head: it can be signed before that commit's frame
    // reaches the subscriber's buffer, and is then held until the commit is written.
    private sealed class CheckpointOrder(CommitFrame? pending)
    {
        private CommitFrame? _pending = pending;
        private CommitFrame? _sent;

        public void Offer(CommitFrame checkpoint)
        {
            if (!ReferenceEquals(checkpoint, _sent))
            {
                _pending = checkpoint;
            }
        }

        public void AfterCommits(System.IO.Pipelines.PipeWriter body, long last)
        {
            if (_pending is { } checkpoint && checkpoint.Version <= last)
            {
                body.Write(checkpoint.Bytes);
                _sent = checkpoint;
                _pending = null;
            }
        }
    }
}
