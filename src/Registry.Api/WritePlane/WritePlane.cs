using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Registry.Api.Bus;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Registry.Configuration;
using Registry.Core;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;

namespace Registry.Api.WritePlane;

/// <summary>
/// The one serialized writer. Commands queue in a bounded channel (full: 429 Busy). The writer drains a batch,
/// decides each command in order against the tentative state, appends every accepted event in one durable append
/// (group commit: one flush for the whole batch), then publishes: the history and the new HEAD to the read plane
/// first, then the stream and the bus (so a subscriber told about version v can read v), and only then answers.
/// </summary>
/// <remarks>
/// <para>
/// Fails closed: anything that goes wrong once a batch is durable (publishing, indexing, feeding the stream or the
/// bus, answering) stops the write plane for good (<see cref="HaltReason"/>; <c>/readyz</c> reports
/// <c>write_ready</c> false with <c>write_plane</c> missing, writes answer 503 <c>NotReady</c>) and halts the storage,
/// rather than decide the next batch against a view that may not match the log. A restart recovers from the log.
/// A storage fault before durability (nothing written) only fails that batch: the storage probes and resumes.
/// </para>
/// <para>
/// Every <see cref="SweepInterval"/> the writer also drops, with a <see cref="ProposalsDropped"/> event, the
/// proposals that can no longer commit once <see cref="ProposalLimits.Retention"/> has passed since they expired
/// or since the writer first saw them stale.
/// </para>
/// <para>Thread-safe to enqueue from any thread; the loop runs on one task.</para>
/// </remarks>
public sealed partial class WritePlane
{
    /// <summary>How often the writer looks for proposals to drop, by default.</summary>
    public static readonly TimeSpan DefaultSweepInterval = TimeSpan.FromSeconds(1);

    private const int MaxBatch = 512;

    /// <summary>Most proposals one <see cref="ProposalsDropped"/> event drops (the rest go in the next sweep).</summary>
    private const int MaxDropsPerEvent = 512;

    private readonly Channel<WriteRequest> _queue;
    private readonly IRegistryStorage _storage;
    private readonly RegistryView _view;
    private readonly VersionHistory _history;
    private readonly CommitFeed _feed;
    private readonly RegistryBus _bus;
    private readonly RegistryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProposalLimits _limits;

    /// <summary>When the writer first saw each open proposal stale (writer memory: a restart starts these clocks again).</summary>
    private readonly Dictionary<Digest, Timestamp> _staleSince = [];
    private ITimer? _sweepTimer;
    private string? _haltReason;
    private Task? _loop;

    /// <summary>Creates the writer (not started).</summary>
    /// <param name="capacity">Queued commands before 429 Busy (<c>limits.write_queue</c>).</param>
    /// <param name="storage">Durable storage.</param>
    /// <param name="view">The read plane's HEAD, published after each durable batch.</param>
    /// <param name="history">The version history, told each new version in order.</param>
    /// <param name="feed">The SSE feed.</param>
    /// <param name="bus">The internal bus.</param>
    /// <param name="metrics">Metrics.</param>
    /// <param name="time">The writer's clock.</param>
    /// <param name="logger">The writer's log.</param>
    /// <param name="limits">Bounds on proposals held and their retention; null for the defaults.</param>
    /// <param name="sweepInterval">How often to look for proposals to drop (<see cref="Timeout.InfiniteTimeSpan"/>: only on <see cref="WriteRequest.Sweep"/>).</param>
    public WritePlane(
        int capacity,
        IRegistryStorage storage,
        RegistryView view,
        VersionHistory history,
        CommitFeed feed,
        RegistryBus bus,
        RegistryMetrics metrics,
        TimeProvider time,
        ILogger logger,
        ProposalLimits? limits = null,
        TimeSpan? sweepInterval = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _storage = storage;
        _view = view;
        _history = history;
        _feed = feed;
        _bus = bus;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _limits = limits ?? new ProposalLimits(new LimitsOptions());
        SweepInterval = sweepInterval ?? DefaultSweepInterval;
        storage.WritabilityChanged += (_, change) => OnWritabilityChanged(change);
    }

    /// <summary>How often the writer sweeps for proposals to drop.</summary>
    public TimeSpan SweepInterval { get; }

    /// <summary>
    /// Why the write plane stopped for good (something failed after a batch became durable), or null while it runs.
    /// Once set, every command is answered 503 <c>NotReady</c> without being decided, until a restart.
    /// </summary>
    public string? HaltReason => Volatile.Read(ref _haltReason);

    /// <summary>Queues a command; false when the queue is full (answer 429 Busy).</summary>
    public bool TryEnqueue(WriteRequest request) => _queue.Writer.TryWrite(request);

    /// <summary>Starts the loop and the sweep timer.</summary>
    public void Start()
    {
        _loop = Task.Run(RunAsync);
        StartSweeping();
    }

    /// <summary>Commands queued and not yet taken by the loop.</summary>
    internal int Queued => _queue.Reader.Count;

    /// <summary>The sweep timer alone (<see cref="Start"/> starts it with the loop).</summary>
    internal void StartSweeping()
    {
        if (SweepInterval != Timeout.InfiniteTimeSpan)
        {
            // A full queue skips a sweep; the next tick tries again. The loop starts with the host, before recovery
            // has published a HEAD (a large checkpoint takes longer than one interval to load): there is nothing to
            // sweep until then, and deciding on no state would fail the batch.
            _sweepTimer = _time.CreateTimer(_ => SweepIfRecovered(), null, SweepInterval, SweepInterval);
        }
    }

    private void SweepIfRecovered()
    {
        if (_view.HasState)
        {
            TryEnqueue(WriteRequest.Sweep());
        }
    }

    /// <summary>Stops taking commands and waits until every queued one is answered.</summary>
    public async Task StopAsync()
    {
        if (_sweepTimer is not null)
        {
            await _sweepTimer.DisposeAsync();
        }

        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<WriteRequest>(MaxBatch);
        var events = new List<RegistryEvent>(MaxBatch);
        var outcomes = new List<WriteOutcome>(MaxBatch);
        WriteRequest? carried = null;
        while (carried is not null || await reader.WaitToReadAsync())
        {
            batch.Clear();
            events.Clear();
            outcomes.Clear();
            if (carried is not null)
            {
                batch.Add(carried);
                carried = null;
            }

            // Events followed from a shared log go only to the local copy, so a batch holds either those or the
            // node's own commands, never both: the first request of the other sort waits for the next batch.
            while (batch.Count < MaxBatch && reader.TryRead(out var request))
            {
                if (batch.Count > 0 && (request.Kind == WriteKind.Follow) != (batch[0].Kind == WriteKind.Follow))
                {
                    carried = request;
                    break;
                }

                batch.Add(request);
            }

            try
            {
                await ProcessAsync(batch, events, outcomes);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A bug before anything was appended (deciding, encoding): nothing is durable and the state did not
                // move, so this batch fails loudly and the writer goes on.
                LogWriterFault(_logger, ex);
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(ex);
                }
            }
        }
    }

    private async Task ProcessAsync(List<WriteRequest> batch, List<RegistryEvent> events, List<WriteOutcome> outcomes)
    {
        if (HaltReason is { } halted)
        {
            AnswerAll(batch, NotReady(halted));
            return;
        }

        if (batch[0].Kind == WriteKind.Follow)
        {
            await FollowAsync(batch, events, outcomes);
            return;
        }

        var state = _view.Current.State;
        var now = Timestamp.From(_time.GetUtcNow());
        foreach (var request in batch)
        {
            var outcome = request.Kind == WriteKind.Sweep && !_storage.Writable
                ? new WriteOutcome(DecisionKind.Unchanged, null, state, null) // only a node that can write sweeps
                : Decide(state, request, now);
            if (outcome.Event is not null)
            {
                state = outcome.State;
                events.Add(outcome.Event);
            }

            outcomes.Add(outcome);
        }

        if (events.Count == 0)
        {
            Answer(batch, outcomes);
            return;
        }

        try
        {
            await _storage.AppendAsync(events, CancellationToken.None);
        }
        catch (StorageUnavailableException ex) when (!HaltedStorage(ex))
        {
            // Nothing in this batch is durable: the state does not advance, and every request is told so. The storage
            // reports itself not writable and probes until it can write again.
            LogStorageFault(_logger, ex.Message);
            _metrics.Rejected("storage");
            AnswerAll(batch, new Rejection(RegistryErrorCode.NotReady, "Storage is not writable: " + ex.Message));
            return;
        }
        catch (StorageUnavailableException ex)
        {
            // The storage halted (for instance: durable, but indexing the commits failed): it says its data and this
            // state may no longer agree, so the write plane stops with it.
            AnswerAll(batch, NotReady(Halt("the storage halted: " + ex.Message, ex, haltStorage: false)));
            return;
        }
        catch (Exception ex) when (ex is not (ArgumentException or OutOfMemoryException))
        {
            // Whether the events became durable is not known: deciding the next batch on a state that may not match the
            // log would guess, so the write plane stops until a restart's recovery settles it.
            AnswerAll(batch, NotReady(Halt("the append failed without saying whether the events are durable: " + ex.Message, ex, haltStorage: true)));
            return;
        }

        PublishDurable(batch, outcomes, state, "publishing a batch that is already durable failed: ");
    }

    // After the batch's durable append: publish it, forget closed proposals, answer. Anything that fails here leaves the
    // state ahead of what readers were told, so the write plane stops (fails closed) with `failure` + the cause.
    private void PublishDurable(List<WriteRequest> batch, List<WriteOutcome> outcomes, RegistryState state, string failure)
    {
        try
        {
            Publish(batch, outcomes, state);
            ForgetClosed(state);
            Answer(batch, outcomes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            AnswerAll(batch, NotReady(Halt(failure + ex.Message, ex, haltStorage: true)));
        }
    }

    private static bool HaltedStorage(StorageUnavailableException ex) =>
        ex.InnerException is StorageWriteException { Failure: StorageWriteFailure.Halted };

    /// <summary>
    /// Stops the write plane for good, and the storage with it (every later append throws until a restart), so no
    /// batch is decided on a state that may not match the log. Returns the reason for this batch's answers.
    /// </summary>
    private string Halt(string reason, Exception cause, bool haltStorage)
    {
        if (Interlocked.CompareExchange(ref _haltReason, reason, null) is null)
        {
            LogWritePlaneHalted(_logger, reason, cause);
            _metrics.Rejected("write_plane_halted");
        }

        if (haltStorage)
        {
            try
            {
                _storage.Halt(reason);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The write plane is stopped already, which is what keeps writes out; the storage only adds its own guard.
                LogStorageHaltFailed(_logger, ex.Message);
            }
        }

        return reason;
    }

    private static Rejection NotReady(string haltReason) =>
        new(RegistryErrorCode.NotReady, $"The write plane stopped after a fault and takes no writes until the service is restarted: {haltReason}. Whatever this request did may be durable; after the restart, retry (writes are idempotent).");

    private static void Answer(List<WriteRequest> batch, List<WriteOutcome> outcomes)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(outcomes[i]);
        }
    }

    private void AnswerAll(List<WriteRequest> batch, Rejection rejection)
    {
        var head = _view.Current.State;
        foreach (var request in batch)
        {
            request.Completion.TrySetResult(new WriteOutcome(DecisionKind.Rejected, rejection, head, null));
        }
    }

    private void OnWritabilityChanged(StorageWritabilityChangedEventArgs change)
    {
        if (change.Writable)
        {
            LogStorageWritable(_logger, change.Reason);
        }
        else if (change.Halted)
        {
            LogStorageHalted(_logger, change.Reason);
        }
        else
        {
            LogStorageNotWritable(_logger, change.Reason);
        }
    }

    private WriteOutcome Decide(RegistryState state, WriteRequest request, Timestamp now)
    {
        if (request.Kind == WriteKind.Replicate)
        {
            return DecideReplicate(state, request.Record!, request.Preverified);
        }

        (DecisionKind Kind, Rejection? Rejection, RegistryEvent? Event) decision = request.Kind switch
        {
            WriteKind.Propose => DecidePropose(state, request, now),
            WriteKind.Approve => Unpack(RegistryMachine.DecideApprove(state, request.ProposalId, request.Approval!, now, request.VerifiedWith)),
            WriteKind.Submit => Unpack(RegistryMachine.DecideSubmit(state, request.Proposal!, request.Approvals!, now, request.VerifiedKeys)),
            WriteKind.Sweep => Unpack(RegistryMachine.DecideDrop(state, DropCandidates(state, now), now)),
            _ => Unpack(RegistryMachine.DecideCommit(state, request.ProposalId, now)),
        };
        if (decision.Event is ProposalAccepted or Committed && TooLargeToStore(state, decision.Event) is { } tooLarge)
        {
            return new WriteOutcome(DecisionKind.Rejected, tooLarge, state, null);
        }

        var after = decision.Event is null ? state : state.Apply(decision.Event);
        return new WriteOutcome(decision.Kind, decision.Rejection, after, decision.Event);
    }

    private (DecisionKind, Rejection?, RegistryEvent?) DecidePropose(RegistryState state, WriteRequest request, Timestamp now)
    {
        var proposal = request.Proposal!;

        // The handler read the base state against the HEAD it saw; if HEAD has since moved past a base it could not
        // read then, the command is refused as transient (proposing is idempotent, so a retry is safe).
        if (proposal.BaseVersion < state.Version && request.BaseState is null && state.Hashes.Holds(proposal.BaseVersion, proposal.BaseHash))
        {
            return (DecisionKind.Rejected, new Rejection(RegistryErrorCode.Busy, "HEAD moved while the proposal was queued; retry."), null);
        }

        var decision = RegistryMachine.DecidePropose(state, proposal, now, request.BaseState, _limits.Pending, request.ProposedBy);
        if (decision.Rejection is { Limit: not null })
        {
            _metrics.Rejected("pending_limit");
        }

        return Unpack(decision);
    }

    /// <summary>
    /// The open proposals whose retention has passed: expired ones <see cref="ProposalLimits.Retention"/> after their
    /// expiry, stale ones that long after this writer first saw them stale. Writer thread only.
    /// </summary>
    private List<Digest> DropCandidates(RegistryState state, Timestamp now)
    {
        var retention = _limits.Retention;
        var candidates = new List<Digest>();
        foreach (var pending in state.Pending.Values)
        {
            var proposal = pending.Proposal;
            Timestamp? since = now >= proposal.ExpiresAt ? proposal.ExpiresAt : null;
            if (state.ConflictOf(proposal) is not null)
            {
                if (!_staleSince.TryGetValue(pending.Id, out var seen))
                {
                    _staleSince[pending.Id] = seen = now;
                }

                since = since is { } expired && expired < seen ? expired : seen;
            }

            if (since is { } dead && now >= dead.Add(retention))
            {
                candidates.Add(pending.Id);
                if (candidates.Count == MaxDropsPerEvent)
                {
                    break;
                }
            }
        }

        return candidates;
    }

    // Stale clocks of proposals no longer open (committed cannot be; dropped) are forgotten.
    private void ForgetClosed(RegistryState state)
    {
        if (_staleSince.Count > state.Pending.Count)
        {
            foreach (var id in _staleSince.Keys.Where(id => !state.Pending.ContainsKey(id)).ToList())
            {
                _staleSince.Remove(id);
            }
        }
    }

    private static (DecisionKind, Rejection?, RegistryEvent?) Unpack<T>(Decision<T> decision)
        where T : RegistryEvent => (decision.Kind, decision.Rejection, decision.Event);

    /// <summary>
    /// Publishes a durable batch: every new version to the history (each must be exactly the next one, or this throws),
    /// then the new HEAD to the read plane, then the commits to the stream and the bus, so whoever is told about
    /// version v can read it.
    /// </summary>
    private void Publish(List<WriteRequest> batch, List<WriteOutcome> outcomes, RegistryState final)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Event is Committed)
            {
                _history.Add(outcome.State);
            }
        }

        _view.Publish(final);
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Event is Committed committed)
            {
                _feed.Publish(committed.Record);
                _bus.PublishCommit(committed.Record, batch[i].CorrId);
                _metrics.CommitDurable(Stopwatch.GetElapsedTime(batch[i].QueuedAt));
            }
            else if (outcomes[i].Event is ProposalsDropped dropped)
            {
                LogDropped(_logger, dropped.Dropped.Length, final.Version);
            }
        }

        _metrics.SetPending(final.Pending.Count);
        _storage.OnPublished(final);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "write plane: unexpected fault before the append; the batch was failed")]
    private static partial void LogWriterFault(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "write plane: storage not writable: {Reason}")]
    private static partial void LogStorageFault(ILogger logger, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Reason}")]
    private static partial void LogStorageNotWritable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "{Reason}")]
    private static partial void LogStorageWritable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Critical, Message = "{Reason}")]
    private static partial void LogStorageHalted(ILogger logger, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Critical, Message = "write plane: halted, writes answer 503 NotReady until a restart: {Reason}")]
    private static partial void LogWritePlaneHalted(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Error, Message = "write plane: halting the storage too failed: {Reason}")]
    private static partial void LogStorageHaltFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "write plane: dropped {Count} proposals that can no longer commit, past their retention (HEAD {Version})")]
    private static partial void LogDropped(ILogger logger, int count, long version);
}
