// An HA node's loop (SPEC §9, docs/HA.md). Per session (one lease):
//   1. Grant a lease of etcd.lease_ttl_seconds; renew it every third of its TTL on its own task. A renewal etcd
//      refuses, or no renewal before the lease's end by this node's monotonic clock, ends the session at once (and
//      EtcdNodeStatus stops answering "writer" at that instant already, whatever this loop is doing).
//   2. Catch up: range reads of the log from this node's next sequence, a page at a time, to the end; every event goes
//      through the write plane as a Follow command (verified as recovery verifies, stored locally, published).
//   3. The writer key: none -> campaign (create it under this lease, if still absent). Won -> catch up once more (so
//      every event committed before the election is applied), then write. Lost -> follow, naming the writer.
//   4. Watch every key of the registry from the revision the reads reached: new events are applied (a gap in
//      sequences is filled by a range read, never trusted to the watch), the writer key's deletion starts a campaign,
//      its creation by another node makes this one a follower.
// A broken watch (its member died) is re-read and re-opened on another member within the session. etcd unreachable
// or without quorum (the lease cannot be renewed, or no member answers a read): the session ends, this node stops
// writing, /readyz says why, reads continue from the local copy, and a new session starts with backoff. An event that fails verification halts
// the node for good (it keeps serving its last verified state): etcd is trusted for order and durability only.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Api.WritePlane;
using Registry.Core;
using Registry.Store.Etcd;

namespace Registry.Api.HighAvailability;

/// <summary>Elects, tails and follows the etcd log for this node. One loop task plus the lease renewal task.</summary>
internal sealed partial class EtcdNode : IHostedLifecycleService, IDisposable
{
    private const int Chunk = 256;

    private readonly EtcdStorage _storage;
    private readonly WritePlane.WritePlane _writer;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _lease;

    public EtcdNode(EtcdStorage storage, WritePlane.WritePlane writer, TimeSpan leaseTtl, TimeProvider time, ILoggerFactory loggers)
    {
        _storage = storage;
        _writer = writer;
        _ttl = leaseTtl;
        _time = time;
        _logger = loggers.CreateLogger("svc-registry.ha");
    }

    private EtcdEventLog Log => _storage.Log;

    private EtcdNodeStatus Status => _storage.Status;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After recovery published HEAD (hosted services start in order).</summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        LogStarting(_logger, Log.Keys.LogPrefix, _storage.EventCount, Status.AdvertiseUrl);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops before the writer and the storage: steps down and revokes the lease, so another node takes over at once.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        _storage.StopWaiting();
        await _loop;
        if (Interlocked.Exchange(ref _lease, 0) is var lease and not 0)
        {
            try
            {
                await Log.RevokeLeaseAsync(lease, CancellationToken.None);
            }
            catch (EtcdUnavailableException ex)
            {
                // The lease then ends by itself within its TTL.
                LogRevokeFailed(_logger, ex.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var renewal = Task.CompletedTask;
            try
            {
                var started = _time.GetTimestamp();
                var (lease, ttl) = await Log.GrantLeaseAsync(_ttl, session.Token);
                Interlocked.Exchange(ref _lease, lease);
                Status.LeaseRenewed(started + Ticks(ttl));
                Status.Reachable();
                renewal = RenewAsync(lease, ttl, session);
                await SessionAsync(lease, () => attempt = 0, session.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (FollowHaltException halt)
            {
                Status.Halt(halt.Message);
                LogHalted(_logger, halt.Message, _storage.EventCount);
                return;
            }
            catch (Exception ex) when (ex is EtcdUnavailableException or OperationCanceledException or Grpc.Core.RpcException)
            {
                var reason = ex is OperationCanceledException ? "the lease ended" : ex.Message;
                Status.Unreachable("etcd: " + reason);
                var delay = Backoff(++attempt);
                LogSessionEnded(_logger, reason, (long)delay.TotalMilliseconds);
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
                // A bug must not leave the node silently stuck, nor writing: it halts and says so.
                Status.Halt("the etcd loop failed unexpectedly: " + ex.Message);
                LogLoopFault(_logger, ex);
                return;
            }
            finally
            {
                await session.CancelAsync();
                await renewal;
            }
        }
    }

    private async Task SessionAsync(long lease, Action connected, CancellationToken session)
    {
        var revision = await CatchUpAsync(session);
        var writer = await Log.GetWriterAsync(session);
        revision = await OnWriterAsync(writer, lease, revision, session);
        connected();
        while (true)
        {
            try
            {
                await foreach (var batch in Log.WatchAsync(revision + 1, session))
                {
                    Status.Reachable();
                    if (batch.Events.Count > 0)
                    {
                        await ApplyAsync(batch.Events, fromRead: false, session);
                        Status.SeenEtcdEvents(batch.Events[^1].Sequence + 1);
                    }

                    revision = batch.Revision;
                    if (batch.WriterChanged)
                    {
                        revision = Math.Max(revision, await OnWriterAsync(batch.Writer, lease, revision, session));
                    }
                }
            }
            catch (EtcdUnavailableException ex) when (!session.IsCancellationRequested)
            {
                // The watch's member died or lost quorum: the lease (and a writer's role) lives on while it can be
                // renewed through the others. Read what the watch may have missed, then watch from another member.
                LogWatchBroken(_logger, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, session);
                revision = Math.Max(revision, await CatchUpAsync(session));
                revision = Math.Max(revision, await OnWriterAsync(await Log.GetWriterAsync(session), lease, revision, session));
            }
        }
    }

    /// <summary>Campaigns when no writer is elected; becomes the writer (after catching up) or follows. Returns the revision read to.</summary>
    private async Task<long> OnWriterAsync(EtcdWriter? writer, long lease, long revision, CancellationToken session)
    {
        writer ??= await Log.CampaignAsync(lease, Status.AdvertiseUrl, session);
        if (writer is null)
        {
            // Deleted again between the campaign's compare and its read: the watch shows what comes next.
            Status.Follow(null);
            return revision;
        }

        if (writer.Lease != lease)
        {
            Status.Follow(writer.Url);
            LogFollowing(_logger, writer.Url, writer.Revision);
            return revision;
        }

        // Elected at writer.Revision: everything committed before it is visible to this read, and nothing can be
        // committed by an earlier writer after it (their fencing compares fail).
        revision = Math.Max(revision, await CatchUpAsync(session));
        Status.BecomeWriter(writer.Revision);
        LogElected(_logger, writer.Revision, _storage.EventCount);
        return revision;
    }

    /// <summary>Reads the log from this node's next sequence to its end, applying every page; returns the revision of the last read.</summary>
    private async Task<long> CatchUpAsync(CancellationToken session)
    {
        while (true)
        {
            var (entries, revision, more) = await Log.ReadAsync(_storage.EventCount, EtcdEventLog.PageSize, session);
            if (entries.Count > 0)
            {
                await ApplyAsync(entries, fromRead: true, session);
            }

            if (!more)
            {
                Status.SeenEtcdEvents(_storage.EventCount);
                return revision;
            }
        }
    }

    /// <summary>Hands events to the write plane in order and waits for each; a gap is filled by reading.</summary>
    private async Task ApplyAsync(IReadOnlyList<EtcdLogEntry> entries, bool fromRead, CancellationToken session)
    {
        for (var start = 0; start < entries.Count; start += Chunk)
        {
            var requests = new List<WriteRequest>(Chunk);
            foreach (var entry in entries.Skip(start).Take(Chunk))
            {
                var request = WriteRequest.Follow(entry.Sequence, entry.Payload);
                while (!_writer.TryEnqueue(request))
                {
                    // The queue is full of clients' commands: they are answered within a batch or two.
                    await Task.Delay(TimeSpan.FromMilliseconds(5), _time, session);
                }

                requests.Add(request);
            }

            foreach (var request in requests)
            {
                var outcome = await request.Completion.Task.WaitAsync(session);
                if (outcome.Rejection is not { } rejection)
                {
                    continue;
                }

                if (rejection.Code == RegistryErrorCode.Busy && !fromRead)
                {
                    // A watch delivered events past a gap (it never promises completeness): read them instead.
                    await CatchUpAsync(session);
                    return;
                }

                if (rejection.Code == RegistryErrorCode.NotReady)
                {
                    throw new FollowHaltException("the write plane stopped: " + rejection.Detail);
                }

                throw new FollowHaltException($"event {request.Sequence} of the etcd log was refused: {rejection.Detail}");
            }
        }
    }

    /// <summary>Renews the lease every third of its TTL until the session ends; ends the session when the lease is lost.</summary>
    private Task RenewAsync(long lease, TimeSpan ttl, CancellationTokenSource session) => Task.Run(async () =>
    {
        var validUntil = _time.GetTimestamp() + Ticks(ttl);
        try
        {
            while (!session.IsCancellationRequested)
            {
                await Task.Delay(ttl / 3, _time, session.Token);
                var sent = _time.GetTimestamp();
                try
                {
                    var left = await Log.KeepAliveAsync(lease, session.Token);
                    if (left <= TimeSpan.Zero)
                    {
                        LogLeaseLost(_logger, "etcd says the lease expired");
                        Status.Follow(null);
                        await session.CancelAsync();
                        return;
                    }

                    validUntil = sent + Ticks(left);
                    Status.LeaseRenewed(validUntil);
                }
                catch (EtcdUnavailableException ex) when (_time.GetTimestamp() < validUntil)
                {
                    LogRenewFailed(_logger, ex.Message);
                }
                catch (EtcdUnavailableException ex)
                {
                    LogLeaseLost(_logger, "no renewal before the lease's end: " + ex.Message);
                    Status.Unreachable("etcd: " + ex.Message);
                    await session.CancelAsync();
                    return;
                }
            }
        }
        catch (Exception) when (session.IsCancellationRequested)
        {
            // The session ended (whatever the call in flight then threw): the loop starts the next one.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // etcd refused the renewal itself (the lease is unknown to it): the lease is gone, and so is the session.
            // This task must never fault: the loop awaits it before starting the next session.
            LogLeaseLost(_logger, "etcd refused the renewal: " + ex.Message);
            Status.Follow(null);
            await session.CancelAsync();
        }
    });

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static TimeSpan Backoff(int attempt)
    {
        var ms = Math.Min(2_000, 100 * Math.Pow(2, Math.Min(attempt - 1, 8)));
#pragma warning disable CA5394 // Jitter spreads reconnections; it is not security-relevant.
        return TimeSpan.FromMilliseconds(ms * (0.5 + (Random.Shared.NextDouble() / 2)));
#pragma warning restore CA5394
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "ha: following the etcd log {Prefix} from event {Next}; this node advertises {Url}")]
    private static partial void LogStarting(ILogger logger, string prefix, long next, string url);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "ha: etcd session ended ({Reason}); not writing; reconnecting in {DelayMs} ms")]
    private static partial void LogSessionEnded(ILogger logger, string reason, long delayMs);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "ha: elected writer (fencing revision {Revision}) at event {Next}")]
    private static partial void LogElected(ILogger logger, long revision, long next);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "ha: following writer {Url} (revision {Revision})")]
    private static partial void LogFollowing(ILogger logger, string url, long revision);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "ha: lease lost, stopped writing: {Reason}")]
    private static partial void LogLeaseLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "ha: lease renewal failed, retrying before the lease ends: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Critical, Message = "ha: halted: {Reason}. Serving the local copy at event {Next}; nothing more is followed or written until a restart")]
    private static partial void LogHalted(ILogger logger, string reason, long next);

    [LoggerMessage(EventId = 4108, Level = LogLevel.Error, Message = "ha: the etcd loop failed unexpectedly")]
    private static partial void LogLoopFault(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4110, Level = LogLevel.Warning, Message = "ha: the etcd watch broke ({Reason}); reading what it may have missed and watching again")]
    private static partial void LogWatchBroken(ILogger logger, string reason);

    [LoggerMessage(EventId = 4109, Level = LogLevel.Warning, Message = "ha: revoking the lease at shutdown failed (it ends by itself within its TTL): {Reason}")]
    private static partial void LogRevokeFailed(ILogger logger, string reason);
}
