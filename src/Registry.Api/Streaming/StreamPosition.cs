// A stream resumed from a position past this node's HEAD (Last-Event-ID or ?from= > HEAD). Answering 200 and sending
// the commits after the position once they exist would silently drop every commit between HEAD and the position the
// client thinks it has; whether those versions will ever be the client's versions is unknown. So (docs/API.md):
//   - a replica that follows normally is only behind: it waits up to replica.resume_wait_seconds for itself to reach
//     the position, then streams as usual; still behind after that, 503 NotReady with Retry-After (retry, or read
//     from a node that is further along);
//   - a primary, or a replica that halted, will never reach it by following: 409 NotInHistory, naming both versions
//     (the client's chain is not this node's: a restore to an older state, a fork, another registry).
using Registry.Api.Http;
using Registry.Api.ReadPlane;
using Registry.Api.Replication;
using Registry.Core;

namespace Registry.Api.Streaming;

/// <summary>Decides a stream resumed past HEAD: wait (a lagging replica), 503 NotReady, or 409 NotInHistory. Never skips.</summary>
public static class StreamPosition
{
    /// <summary>Null when <paramref name="from"/> is within this node's history (perhaps after waiting), else the problem to answer.</summary>
    public static async Task<Problem?> CheckAsync(long from, RegistryView view, CommitFeed feed, ReplicaRole role, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(role);
        var head = view.Current.State.Version;
        if (from <= head)
        {
            return null;
        }

        if (role.Ha is { } ha && ha.Status.Role != HighAvailability.EtcdNodeRole.Halted)
        {
            // Any node of an HA cluster resumes any position the etcd log has reached: this one may be a moment behind.
            return await WaitForAsync(from, view, feed, ha.Status.ResumeWait, cancellationToken)
                ? null
                : new Problem(
                    RegistryErrorCode.NotReady,
                    $"This node is at version {view.Current.State.Version}, behind your position {from}; it is catching up with the etcd log. Retry, or read from another node.",
                    TimeSpan.FromSeconds(1));
        }

        if (role.Replica is not { Halted: false } replica)
        {
            var why = role.Replica is null
                ? "this is the primary, so no later commit can ever fill that gap with the commits you saw"
                : "this replica halted on a record that failed verification (see /readyz)";
            return new Problem(
                RegistryErrorCode.NotInHistory,
                $"Version {from} is not in this node's history: its HEAD is version {head}, and {why}. Your position comes from another chain "
                + "(a restore to an older state, a fork, or another registry): read /registry/head and resume from a version this node has.");
        }

        if (await WaitForAsync(from, view, feed, replica.ResumeWait, cancellationToken))
        {
            return null;
        }

        return new Problem(
            RegistryErrorCode.NotReady,
            $"This replica is at version {view.Current.State.Version}, behind your position {from}; it is catching up with its primary. Retry, or read from the primary.",
            TimeSpan.FromSeconds(1));
    }

    // Waits on the commit feed (what the stream itself reads), bounded by the wait, for HEAD to reach the position.
    internal static async Task<bool> WaitForAsync(long from, RegistryView view, CommitFeed feed, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var subscription = feed.Subscribe(1024);
        if (subscription.StartVersion >= from || wait <= TimeSpan.Zero)
        {
            return view.Current.State.Version >= from;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            while (await subscription.Reader.WaitToReadAsync(timeout.Token))
            {
                while (subscription.Reader.TryRead(out var frame))
                {
                    if (frame.Version >= from)
                    {
                        return true;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The wait is over: the answer depends on where HEAD is now.
        }

        // A subscription that overflowed ends early; HEAD itself tells.
        return view.Current.State.Version >= from;
    }
}
