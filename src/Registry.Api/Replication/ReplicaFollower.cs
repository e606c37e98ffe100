// The replica's loop (SPEC §9, docs/REPLICATION.md). Per connection:
//   1. GET /registry/head of the followed node. A HEAD at a version this replica holds must have the same hash (else:
//      fork, halt); a HEAD behind this replica's is waited out (reconnect with backoff), never followed backwards.
//   2. Catch up through GET /registry/log, the first page starting AT this replica's HEAD, so that the followed node's
//      record there is compared with ours (a fork at our HEAD is named as one, not as a broken link after it).
//   3. GET /registry/stream with Last-Event-ID = this replica's HEAD. Each event's (version, hash) says what to read
//      next from the log; an event at a version this replica holds must carry the same hash.
// Every record read goes to the write plane as a Replicate command: verified there by the Core's one verifier against
// the writer's own state, appended through the store's append path (so checkpoints, history, the stream and the bus
// see it as any commit), or refused. A refusal or a fork halts the replica for good (until a restart): it keeps
// serving its last verified version, /readyz and the metrics say why, and the evidence goes to the data directory.
// Anything else (connection refused or reset, 5xx, a lagged stream, a follower behind) reconnects with backoff.
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Api.ReadPlane;
using Registry.Api.WritePlane;
using Registry.Core;
using Registry.Core.Machine;
using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>Follows the configured node and feeds every verified record through the write plane. One loop task.</summary>
internal sealed partial class ReplicaFollower : IHostedLifecycleService, IDisposable
{
    /// <summary>Replicate commands in flight at once (the write plane group-commits them).</summary>
    private const int Chunk = 256;

    private readonly ReplicaStatus _status;
    private readonly RegistryView _view;
    private readonly VersionHistory _history;
    private readonly WritePlane.WritePlane _writer;
    private readonly ReplicaEvidence _evidence;
    private readonly TimeSpan _maxBackoff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly UpstreamClient _upstream;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public ReplicaFollower(ReplicaStatus status, RegistryView view, VersionHistory history, WritePlane.WritePlane writer, ReplicaEvidence evidence, TimeSpan maxBackoff, TimeProvider time, ILoggerFactory loggers)
    {
        _status = status;
        _view = view;
        _history = history;
        _writer = writer;
        _evidence = evidence;
        _maxBackoff = maxBackoff;
        _time = time;
        _logger = loggers.CreateLogger("svc-registry.replica");
        _upstream = new UpstreamClient(status.Upstream);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every earlier hosted service started: recovery is done and HEAD published (<c>RegistryLifecycle</c>).</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_status.Halted)
        {
            // The bootstrap from a checkpoint was refused (RegistryLifecycle): nothing to follow from until a restart.
            return Task.CompletedTask;
        }

        LogFollowing(_logger, _status.Upstream.ToString(), _view.Current.State.Version);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops following before the writer and the storage stop (hosted services stop in reverse order).</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stops following for good (a promotion, <see cref="RoleTransitions"/>): returns once the loop ended. Records it
    /// handed to the writer may still be queued there; the caller waits for the writer.
    /// </summary>
    public async Task StopFollowingAsync()
    {
        await _stop.CancelAsync();
        await _loop;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _stop.Dispose();
        _upstream.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await FollowOnceAsync(() => attempt = 0, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ReplicaHaltException halt)
            {
                await HaltAsync(halt);
                return;
            }
            catch (Exception ex) when (ex is UpstreamException or HttpRequestException or IOException or OperationCanceledException)
            {
                var delay = Backoff(++attempt);
                _status.Enter(ReplicaPhase.Connecting, ex.Message);
                LogDisconnected(_logger, _status.Upstream.ToString(), ex.Message, (long)delay.TotalMilliseconds);
                try
                {
                    await Task.Delay(delay, _time, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A bug must not leave the replica silently stuck: it halts and says so.
                await HaltAsync(new ReplicaHaltException(false, _view.Current.State.Version + 1, "the follower failed unexpectedly: " + ex.Message, null));
                LogFollowerFault(_logger, ex);
                return;
            }
        }
    }

    private async Task FollowOnceAsync(Action connected, CancellationToken stop)
    {
        var head = await _upstream.GetHeadAsync(stop);
        _status.SeenPrimaryOfUpstream(head.Primary);
        _status.SeenUpstream(head.Version, head.Hash);
        await CheckKnownAsync(head.Version, head.Hash, null, stop);
        var local = _view.Current.State.Version;
        if (head.Version < local)
        {
            throw new UpstreamException($"the followed node's HEAD is version {head.Version}, behind this replica's {local}; waiting for it to catch up");
        }

        _status.Enter(ReplicaPhase.CatchingUp, null);
        await CatchUpAsync(head.Version, stop);
        connected();
        await StreamAsync(stop);
    }

    /// <summary>
    /// Pages of the log up to <paramref name="target"/>. The next page is read and decoded while this one is verified and
    /// stored, so the followed node's serving, the transfer and the parsing overlap the verification; a page read ahead
    /// is used only if it starts right after this replica's HEAD once the page before it is stored.
    /// </summary>
    private async Task CatchUpAsync(long target, CancellationToken stop)
    {
        var overlap = true;
        (long From, Task<IReadOnlyList<UpstreamRecord>> Page)? ahead = null;
        try
        {
            while (_view.Current.State.Version < target)
            {
                var from = _view.Current.State.Version;
                IReadOnlyList<UpstreamRecord> page;
                if (ahead is { } next && next.From == from + 1)
                {
                    ahead = null;
                    page = await next.Page;
                }
                else
                {
                    await DrainAsync(ahead);
                    ahead = null;
                    page = await _upstream.GetLogAsync(overlap && from > 0 ? from : from + 1, UpstreamClient.PageSize, stop);
                }

                overlap = false;
                if (page.Count == 0)
                {
                    throw new UpstreamException($"the followed node's log ends before its HEAD {target}");
                }

                var last = page[^1].Record.Version;
                if (last < target)
                {
                    ahead = (last + 1, _upstream.GetLogAsync(last + 1, UpstreamClient.PageSize, stop));
                }

                await ApplyAsync(page, stop);
            }
        }
        finally
        {
            await DrainAsync(ahead);
        }
    }

    // A page read ahead that will not be used: waited for, so that no request outlives the loop; what it failed with
    // does not matter any more (the loop itself failed, or moved on without it).
    private static async Task DrainAsync((long From, Task<IReadOnlyList<UpstreamRecord>> Page)? ahead)
    {
        if (ahead is not { } unused)
        {
            return;
        }

        try
        {
            await unused.Page;
        }
        catch (Exception ex) when (ex is UpstreamException or ReplicaHaltException or HttpRequestException or IOException or OperationCanceledException)
        {
            // Not applied, so not acted on: a record in it is read again (and judged) by the next attempt.
        }
    }

    private async Task StreamAsync(CancellationToken stop)
    {
        // The stream is read on its own task into a bounded buffer, so that while one batch is read from the log and
        // verified, the events behind it gather and the next log read takes them all at once.
        var events = Channel.CreateBounded<(long Version, Digest Hash)>(new BoundedChannelOptions(65_536) { SingleReader = true, SingleWriter = true });
        using var pumpStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var pump = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var commit in _upstream.StreamAsync(_view.Current.State.Version, pumpStop.Token))
                    {
                        await events.Writer.WriteAsync(commit, pumpStop.Token);
                    }

                    events.Writer.TryComplete();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Whatever ended the stream ends the reading loop below with the same exception.
                    events.Writer.TryComplete(ex);
                }
            },
            CancellationToken.None);
        _status.Enter(ReplicaPhase.Streaming, null);
        var announced = new Dictionary<long, Digest>();
        try
        {
            while (await events.Reader.WaitToReadAsync(stop))
            {
                long target = 0;
                while (events.Reader.TryRead(out var commit))
                {
                    _status.SeenUpstream(commit.Version, commit.Hash);
                    if (commit.Version <= _view.Current.State.Version)
                    {
                        await CheckKnownAsync(commit.Version, commit.Hash, null, stop);
                    }
                    else
                    {
                        announced[commit.Version] = commit.Hash;
                        target = Math.Max(target, commit.Version);
                    }
                }

                while (_view.Current.State.Version < target)
                {
                    var from = _view.Current.State.Version + 1;
                    var page = await _upstream.GetLogAsync(from, (int)Math.Min(UpstreamClient.PageSize, target - from + 1), stop);
                    if (page.Count == 0)
                    {
                        throw new UpstreamException($"the followed node announced version {target} but its log ends before version {from}");
                    }

                    await ApplyAsync(page, stop);
                }

                // The followed node's stream and log must agree on every version read.
                foreach (var (version, hash) in announced.Where(a => a.Key <= _view.Current.State.Version).ToList())
                {
                    announced.Remove(version);
                    await CheckKnownAsync(version, hash, null, stop);
                }
            }

            throw new UpstreamException("the followed node closed the stream");
        }
        finally
        {
            await pumpStop.CancelAsync();
            await pump;
        }
    }

    /// <summary>Versions this replica holds: skipped when the hash is ours, else a fork. The rest go to the writer, in order.</summary>
    private async Task ApplyAsync(IReadOnlyList<UpstreamRecord> page, CancellationToken stop)
    {
        var fresh = new List<UpstreamRecord>(page.Count);
        foreach (var upstream in page)
        {
            if (upstream.Record.Version <= _view.Current.State.Version)
            {
                await CheckKnownAsync(upstream.Record.Version, upstream.Record.Hash, upstream, stop);
            }
            else
            {
                fresh.Add(upstream);
            }
        }

        // The approval signatures of the next chunk are checked on the other cores while the writer verifies and stores
        // this one (ApprovalPreverifier; the writer's verifier still decides everything, consulting them by key).
        var checking = fresh.Count == 0 ? null : Preverify(fresh, 0, _view.Current.State.SignerSet);
        for (var start = 0; start < fresh.Count; start += Chunk)
        {
            var chunk = fresh.Skip(start).Take(Chunk).ToList();
            var (checks, setAfter) = await checking!;
            checking = start + Chunk < fresh.Count ? Preverify(fresh, start + Chunk, setAfter) : null;
            var requests = new List<WriteRequest>(chunk.Count);
            for (var i = 0; i < chunk.Count; i++)
            {
                var upstream = chunk[i];
                var request = WriteRequest.Replicate(upstream.Record, "replica", checks[i]);
                if (!_writer.TryEnqueue(request))
                {
                    break;
                }

                requests.Add(request);
            }

            for (var i = 0; i < requests.Count; i++)
            {
                var outcome = await requests[i].Completion.Task.WaitAsync(stop);
                if (outcome.Rejection is { } rejection)
                {
                    if (rejection.Code is RegistryErrorCode.NotReady or RegistryErrorCode.Busy)
                    {
                        throw new UpstreamException("this replica's storage refused the append: " + rejection.Detail);
                    }

                    throw new ReplicaHaltException(false, chunk[i].Record.Version, rejection.Detail, chunk[i].Raw);
                }
            }

            if (requests.Count < chunk.Count)
            {
                throw new UpstreamException("this replica's write queue is full");
            }
        }
    }

    private static Task<(PreverifiedApprovals[] Checks, SignerSet After)> Preverify(List<UpstreamRecord> records, int start, SignerSet inForce) =>
        Task.Run(() =>
        {
            var chunk = records.Skip(start).Take(Chunk).Select(r => r.Record).ToList();
            var checks = ApprovalPreverifier.Verify(inForce, chunk, out var after);
            return (checks, after);
        });

    /// <summary>A version this replica holds, as the followed node reports it: the same hash, or a fork (halt).</summary>
    private async Task CheckKnownAsync(long version, Digest hash, UpstreamRecord? upstream, CancellationToken stop)
    {
        var state = _view.Current.State;
        if (version > state.Version || state.Hashes[version] == hash)
        {
            return;
        }

        if (upstream is null && version > 0)
        {
            // The record itself, for the operator: what the followed node serves at that version.
            var page = await _upstream.GetLogAsync(version, 1, stop);
            upstream = page.Count == 1 && page[0].Record.Version == version ? page[0] : null;
        }

        throw new ReplicaHaltException(
            true,
            version,
            $"fork at version {version}: the followed node has {hash}, this replica holds {state.Hashes[version]}",
            upstream?.Raw);
    }

    private async Task HaltAsync(ReplicaHaltException halt)
    {
        _status.Halt(halt.Version, halt.Message);
        var localVersion = halt.Fork ? halt.Version : halt.Version - 1;
        byte[]? local = null;
        if (localVersion >= 1)
        {
            try
            {
                local = (await _history.GetRecordAsync(localVersion, CancellationToken.None))?.CanonicalBytes.ToArray();
            }
            catch (Exception ex) when (ex is IOException or Registry.Store.CorruptStoreException)
            {
                LogEvidenceIncomplete(_logger, localVersion, ex.Message);
            }
        }

        var path = _evidence.Write(halt, local);
        LogHalted(
            _logger,
            halt.Version,
            halt.Fork ? "fork" : "verification",
            halt.Message,
            _view.Current.State.Version,
            path ?? "(not written: --amnesia)",
            halt.Upstream is { } raw ? Encoding.UTF8.GetString([.. raw]) : "(not read)",
            local is null ? "(none)" : Encoding.UTF8.GetString(local));
    }

    private TimeSpan Backoff(int attempt)
    {
        var ms = Math.Min(_maxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Min(attempt - 1, 16)));
#pragma warning disable CA5394 // Jitter spreads reconnections; it is not security-relevant.
        return TimeSpan.FromMilliseconds(ms * (0.5 + (Random.Shared.NextDouble() / 2)));
#pragma warning restore CA5394
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "replica: following {Upstream} from version {Version}; writes answer 421 NotPrimary")]
    private static partial void LogFollowing(ILogger logger, string upstream, long version);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "replica: {Upstream}: {Reason}; reconnecting in {DelayMs} ms")]
    private static partial void LogDisconnected(ILogger logger, string upstream, string reason, long delayMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Critical, Message = "replica: halted: refused version {Version} ({Kind}): {Reason}. Serving version {Serving}; nothing more is stored until a restart. Evidence: {Path}. Upstream record: {Upstream} Local record: {Local}")]
    private static partial void LogHalted(ILogger logger, long version, string kind, string reason, long serving, string path, string upstream, string local);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "replica: the follower failed unexpectedly")]
    private static partial void LogFollowerFault(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "replica: could not read this replica's record {Version} for the evidence: {Reason}")]
    private static partial void LogEvidenceIncomplete(ILogger logger, long version, string reason);
}
