// WatchAsync's engine. Invariant: every commit is handed to the consumer exactly once, in version order,
// and each one links to the one before it (prev_hash == hash of the last one yielded). To keep it:
//   1. On every (re)connection, reconcile through GET /registry/head: if HEAD is ahead of the last version
//      yielded, read the missing records from GET /registry/log; if HEAD is the same version with another hash,
//      the server's chain is not the one we followed (Diverged: never papered over). If HEAD is behind it, the
//      stream decides: a lagging replica waits until it has the position (or answers 503 NotReady: retried), any
//      other node answers 409 NotInHistory (Diverged). The next commit must still link to the last one yielded.
//   2. Subscribe with Last-Event-ID = last version yielded. Events at or below it are duplicates (skipped);
//      an event past last + 1 reveals a gap, filled from the log before the event is yielded.
//   3. Transient failures (refused, reset, 503, 429, lagged, idle timeout) reconnect after exponential
//      backoff with jitter; the backoff resets once a connection delivers something.
using System.Threading.Channels;
using Registry.Client.Models;
using Registry.Core.Model;

namespace Registry.Client.Internal;

internal sealed class CommitWatcher(RegistryClient client, long fromVersion, WatchOptions options)
{
    private long _last = fromVersion;
    private Digest? _lastHash;

    public async Task RunAsync(ChannelWriter<CommitEvent> output, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (true)
        {
            try
            {
                var delivered = await ReconcileAsync(output, cancellationToken);
                await foreach (var commit in client.StreamCoreAsync(_last, options.IdleTimeout, cancellationToken, options.OnCheckpoint))
                {
                    delivered = true;
                    attempt = 0;
                    await AcceptAsync(commit, output, cancellationToken);
                }

                if (delivered)
                {
                    attempt = 0;
                }

                // The server closed the stream (shutting down, say): reconnect like after any failure.
                await BackoffAsync(++attempt, new RegistryClientException(RegistryClientErrorCodes.Unreachable, "The server closed the stream."), cancellationToken);
            }
            catch (RegistryClientException ex) when (ex.Code == nameof(Registry.Core.RegistryErrorCode.NotInHistory))
            {
                throw Diverged($"the server says version {_last} is not in its history ({ex.Message})");
            }
            catch (RegistryClientException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
            {
                await BackoffAsync(++attempt, ex, cancellationToken);
            }
        }
    }

    private async Task<bool> ReconcileAsync(ChannelWriter<CommitEvent> output, CancellationToken cancellationToken)
    {
        var head = await client.GetHeadAsync(cancellationToken);
        if (head.Version < _last)
        {
            // Behind the position: a read replica that is catching up (the stream waits for it, or answers 503 NotReady,
            // and this retries), or a node whose history never reaches it (the stream answers 409 NotInHistory: Diverged).
            return false;
        }

        if (_lastHash is null)
        {
            _lastHash = head.Version == _last ? head.Hash : await HashOfAsync(_last, cancellationToken);
        }
        else if (head.Version == _last && head.Hash != _lastHash)
        {
            throw Diverged($"version {_last} is {head.Hash} on the server, but {_lastHash} was seen");
        }

        return await CatchUpAsync(head.Version, output, cancellationToken);
    }

    private async Task<Digest> HashOfAsync(long version, CancellationToken cancellationToken)
    {
        if (version == 0)
        {
            return (await client.GetGenesisAsync(cancellationToken)).Hash;
        }

        var records = await client.GetLogAsync(version, 1, cancellationToken);
        return records.Count == 1 ? records[0].Hash : throw Diverged($"the server has no record of version {version}");
    }

    private async Task<bool> CatchUpAsync(long through, ChannelWriter<CommitEvent> output, CancellationToken cancellationToken)
    {
        var any = false;
        while (_last < through)
        {
            var page = await client.GetLogAsync(_last + 1, (int)Math.Min(options.LogPageSize, through - _last), cancellationToken);
            if (page.Count == 0)
            {
                throw Diverged($"the log ends at version {_last}, before version {through}");
            }

            foreach (var record in page)
            {
                await YieldAsync(CommitEvent.FromRecord(record), output, cancellationToken);
                any = true;
            }
        }

        return any;
    }

    private async Task AcceptAsync(CommitEvent commit, ChannelWriter<CommitEvent> output, CancellationToken cancellationToken)
    {
        if (commit.Version <= _last)
        {
            return;
        }

        if (commit.Version > _last + 1)
        {
            await CatchUpAsync(commit.Version - 1, output, cancellationToken);
        }

        await YieldAsync(commit, output, cancellationToken);
    }

    private async Task YieldAsync(CommitEvent commit, ChannelWriter<CommitEvent> output, CancellationToken cancellationToken)
    {
        // Started past the HEAD of the node (a lagging replica): the node now has the start version, and its hash.
        _lastHash ??= await HashOfAsync(_last, cancellationToken);
        if (commit.Version != _last + 1 || commit.PrevHash != _lastHash)
        {
            throw Diverged($"version {commit.Version} links to {commit.PrevHash}, but version {_last} is {_lastHash}");
        }

        await output.WriteAsync(commit, cancellationToken);
        _last = commit.Version;
        _lastHash = commit.Hash;
    }

    private async Task BackoffAsync(int attempt, Exception reason, CancellationToken cancellationToken)
    {
        options.OnReconnect?.Invoke(attempt, reason);
        var ceiling = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30)));
#pragma warning disable CA5394 // Jitter spreads reconnections; it is not security-relevant.
        var delay = TimeSpan.FromMilliseconds((ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2));
#pragma warning restore CA5394
        await Task.Delay(delay, cancellationToken);
    }

    private static RegistryClientException Diverged(string why) =>
        new(RegistryClientErrorCodes.Diverged, $"Watch stopped: {why}. The registry was reset, restored to an older state, or is another registry.");
}
