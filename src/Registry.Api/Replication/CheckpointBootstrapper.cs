// A new replica's start from the followed node's newest checkpoint (replica.bootstrap = "checkpoint", only while its
// own data is empty; docs/REPLICATION.md, "Bootstrap from a checkpoint"). Runs inside recovery, before the node is
// ready: GET /registry/head, GET /registry/checkpoints/latest (version V and the state snapshot), GET /registry/log
// 1..V (three pages in flight while one is checked), each record checked by CheckpointBootstrap (hash links from the
// pinned genesis, the snapshot's chain hashes, record V against the snapshot's head and state root, the signer set,
// committed proposals and last writers derived from the records). Then the records and the state go to the store as a
// checkpoint whose log position is the origin's end of those records; the follower takes over from V.
// Network failures retry with backoff; a refused checkpoint halts the replica before anything is stored.
using Microsoft.Extensions.Logging;
using Registry.Api.Storage;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.Replication;

/// <summary>Fetches, checks and installs the followed node's newest checkpoint into an empty store. One use.</summary>
internal sealed partial class CheckpointBootstrapper(ReplicaStatus status, RegistryStoreStorage local, TimeSpan maxBackoff, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Installs the followed node's newest checkpoint and returns the state at it, or null when the followed node has
    /// no checkpoint yet (the replica then verifies from genesis, which trusts less).
    /// </summary>
    /// <exception cref="CheckpointBootstrapException">The checkpoint or a record up to it was refused; nothing was stored.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="stop"/> was cancelled.</exception>
    public async Task<RegistryState?> RunAsync(GenesisRecord genesis, CancellationToken stop)
    {
        using var upstream = new UpstreamClient(status.Upstream);
        var attempt = 0;
        while (true)
        {
            try
            {
                return await OnceAsync(upstream, genesis, stop);
            }
            catch (Exception ex) when (ex is UpstreamException or HttpRequestException or IOException || (ex is OperationCanceledException && !stop.IsCancellationRequested))
            {
                var ms = Math.Min(maxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt++, 16)));
                status.Enter(ReplicaPhase.Bootstrapping, "bootstrap from a checkpoint: " + ex.Message);
                LogRetry(logger, status.Upstream.ToString(), ex.Message, (long)ms);
                await Task.Delay(TimeSpan.FromMilliseconds(ms), time, stop);
            }
        }
    }

    private async Task<RegistryState?> OnceAsync(UpstreamClient upstream, GenesisRecord genesis, CancellationToken stop)
    {
        status.Enter(ReplicaPhase.Bootstrapping, "reading the followed node's newest checkpoint");
        var head = await upstream.GetHeadAsync(stop);
        status.SeenPrimaryOfUpstream(head.Primary);
        status.SeenUpstream(head.Version, head.Hash);
        var started = time.GetTimestamp();
        if (await upstream.GetCheckpointAsync(stop) is not { } served)
        {
            LogNoCheckpoint(logger, status.Upstream.ToString());
            return null;
        }

        var check = new CheckpointBootstrap(genesis, served.Version, served.Snapshot);
        var v = check.Version;
        status.Enter(ReplicaPhase.Bootstrapping, $"checking the hash links of records 1..{v} against the followed node's checkpoint at version {v}");
        var records = new List<ReadOnlyMemory<byte>>((int)Math.Min(v, int.MaxValue));
        var pages = new PageReader(upstream, v, stop);
        while (check.Next <= v)
        {
            IReadOnlyList<UpstreamRecord> page;
            try
            {
                page = await pages.NextAsync(check.Next);
            }
            catch (ReplicaHaltException halt)
            {
                throw new CheckpointBootstrapException(halt.Version, halt.Message);
            }

            if (page.Count == 0)
            {
                break;
            }

            foreach (var item in page)
            {
                if (check.Next > v)
                {
                    break;
                }

                check.Add(item.Record);
                records.Add(item.Raw);
            }
        }

        var state = check.Finish();
        await local.InstallCheckpointAsync(records, state, stop);
        LogInstalled(logger, v, state.HeadHash.ToString(), status.Upstream.ToString(), served.Snapshot.Length, (long)time.GetElapsedTime(started).TotalMilliseconds);
        return state;
    }

    /// <summary>
    /// Log pages 1..V with a few requests in flight (the followed node serves and this node decodes them in parallel;
    /// the checks stay in order). A page shorter than asked for restarts the read-ahead after it.
    /// </summary>
    private sealed class PageReader(UpstreamClient upstream, long last, CancellationToken stop)
    {
        private const int InFlight = 3;
        private readonly Queue<(long From, Task<IReadOnlyList<UpstreamRecord>> Page)> _ahead = new();
        private long _requested = 1;

        public async Task<IReadOnlyList<UpstreamRecord>> NextAsync(long from)
        {
            if (_ahead.Count > 0 && _ahead.Peek().From != from)
            {
                // The page before was short: what was read ahead does not start where the checks are.
                while (_ahead.Count > 0)
                {
                    _ = _ahead.Dequeue().Page.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                }

                _requested = from;
            }

            if (_ahead.Count == 0)
            {
                _requested = from;
            }

            while (_ahead.Count < InFlight && _requested <= last)
            {
                var count = (int)Math.Min(UpstreamClient.PageSize, last - _requested + 1);
                _ahead.Enqueue((_requested, upstream.GetLogAsync(_requested, count, stop)));
                _requested += count;
            }

            return _ahead.Count == 0 ? [] : await _ahead.Dequeue().Page;
        }
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "replica: bootstrapped from checkpoint at version {Version} ({Hash}) of {Upstream}: {Bytes} snapshot bytes, records 1..{Version} hash-linked from genesis (their approvals not verified), in {Milliseconds} ms; verifying everything after it in full")]
    private static partial void LogInstalled(ILogger logger, long version, string hash, string upstream, long bytes, long milliseconds);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "replica: {Upstream} has no checkpoint yet; verifying from genesis instead")]
    private static partial void LogNoCheckpoint(ILogger logger, string upstream);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "replica: bootstrap from a checkpoint of {Upstream}: {Reason}; retrying in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, string upstream, string reason, long delayMs);
}
