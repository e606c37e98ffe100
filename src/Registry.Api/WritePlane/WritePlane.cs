using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Registry.Api.Bus;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Registry.Core;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;

namespace Registry.Api.WritePlane;

/// <summary>
/// The one serialized writer. Commands queue in a bounded channel (full: 429 Busy). The writer drains
/// a batch, decides each command in order against the tentative state, appends every accepted event
/// in one durable append (group commit: one flush for the whole batch), then publishes the new HEAD
/// to the read plane, the stream and the bus, and only then answers the requests.
/// </summary>
/// <remarks>Thread-safe to enqueue from any thread; the loop runs on one task.</remarks>
public sealed partial class WritePlane
{
    private const int MaxBatch = 512;

    private readonly Channel<WriteRequest> _queue;
    private readonly IRegistryStorage _storage;
    private readonly RegistryView _view;
    private readonly VersionHistory _history;
    private readonly CommitFeed _feed;
    private readonly RegistryBus _bus;
    private readonly RegistryMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Task? _loop;

    /// <summary>Creates the writer (not started).</summary>
    public WritePlane(int capacity, IRegistryStorage storage, RegistryView view, VersionHistory history, CommitFeed feed, RegistryBus bus, RegistryMetrics metrics, TimeProvider time, ILogger logger)
    {
        _queue = Channel.CreateBounded<WriteRequest>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _storage = storage;
        _view = view;
        _history = history;
        _feed = feed;
        _bus = bus;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        storage.WritabilityChanged += (_, change) => OnWritabilityChanged(change);
    }

    /// <summary>Queues a command; false when the queue is full (answer 429 Busy).</summary>
    public bool TryEnqueue(WriteRequest request) => _queue.Writer.TryWrite(request);

    /// <summary>Starts the loop.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops taking commands and waits until every queued one is answered.</summary>
    public async Task StopAsync()
    {
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
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            events.Clear();
            outcomes.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            try
            {
                await ProcessAsync(batch, events, outcomes);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A bug must not kill the writer: fail this batch loudly. One after the append has halted the storage
                // first (HaltAfter), so no later batch is decided on a state that may not match the log.
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
        var state = _view.Current.State;
        var now = Timestamp.From(_time.GetUtcNow());
        foreach (var request in batch)
        {
            var outcome = Decide(state, request, now);
            if (outcome.Event is not null)
            {
                state = outcome.State;
                events.Add(outcome.Event);
            }

            outcomes.Add(outcome);
        }

        if (events.Count > 0)
        {
            try
            {
                await _storage.AppendAsync(events, CancellationToken.None);
            }
            catch (StorageUnavailableException ex)
            {
                // Nothing in this batch is durable: the state does not advance, and every request is told so.
                LogStorageFault(_logger, ex.Message);
                _metrics.Rejected("storage");
                var head = _view.Current.State;
                foreach (var request in batch)
                {
                    request.Completion.TrySetResult(new WriteOutcome(DecisionKind.Rejected, new Rejection(RegistryErrorCode.NotReady, "Storage is not writable: " + ex.Message), head, null));
                }

                return;
            }
            catch (Exception ex) when (ex is not (ArgumentException or OutOfMemoryException))
            {
                // Whether the events became durable is not known: deciding the next batch on a state that may not
                // match the log would guess, so the write plane stops until a restart's recovery settles it.
                throw HaltAfter("the append failed without saying whether the events are durable", ex);
            }

            try
            {
                Publish(batch, outcomes, state);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw HaltAfter("publishing events that are already durable failed", ex);
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Completion.TrySetResult(outcomes[i]);
        }
    }

    /// <summary>Halts the storage (every later write answers 503 NotReady until a restart) and returns the error for this batch.</summary>
    private InvalidOperationException HaltAfter(string what, Exception cause)
    {
        _storage.Halt($"{what}: {cause.Message}");
        return new InvalidOperationException($"The write plane stopped: {what}.", cause);
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

    private static WriteOutcome Decide(RegistryState state, WriteRequest request, Timestamp now)
    {
        if (request.Kind == WriteKind.Replicate)
        {
            return DecideReplicate(state, request.Record!);
        }

        (DecisionKind Kind, Rejection? Rejection, RegistryEvent? Event) decision = request.Kind switch
        {
            WriteKind.Propose => DecidePropose(state, request, now),
            WriteKind.Approve => Unpack(RegistryMachine.DecideApprove(state, request.ProposalId, request.Approval!, now, request.VerifiedWith)),
            WriteKind.Submit => Unpack(RegistryMachine.DecideSubmit(state, request.Proposal!, request.Approvals!, now, request.VerifiedKeys)),
            _ => Unpack(RegistryMachine.DecideCommit(state, request.ProposalId, now)),
        };
        var after = decision.Event is null ? state : state.Apply(decision.Event);
        return new WriteOutcome(decision.Kind, decision.Rejection, after, decision.Event);
    }

    private static (DecisionKind, Rejection?, RegistryEvent?) DecidePropose(RegistryState state, WriteRequest request, Timestamp now)
    {
        var proposal = request.Proposal!;

        // The handler read the base state against the HEAD it saw; if HEAD has since moved past a base it could not
        // read then, the command is refused as transient (proposing is idempotent, so a retry is safe).
        if (proposal.BaseVersion < state.Version && request.BaseState is null && state.Hashes.Holds(proposal.BaseVersion, proposal.BaseHash))
        {
            return (DecisionKind.Rejected, new Rejection(RegistryErrorCode.Busy, "HEAD moved while the proposal was queued; retry."), null);
        }

        return Unpack(RegistryMachine.DecidePropose(state, proposal, now, request.BaseState));
    }

    private static (DecisionKind, Rejection?, RegistryEvent?) Unpack<T>(Decision<T> decision)
        where T : RegistryEvent => (decision.Kind, decision.Rejection, decision.Event);

    private void Publish(List<WriteRequest> batch, List<WriteOutcome> outcomes, RegistryState final)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            if (outcomes[i].Event is Committed committed)
            {
                _history.Add(outcomes[i].State);
                _feed.Publish(committed.Record);
                _bus.PublishCommit(committed.Record, batch[i].CorrId);
                _metrics.CommitDurable(Stopwatch.GetElapsedTime(batch[i].QueuedAt));
            }
        }

        _view.Publish(final);
        _metrics.SetPending(final.Pending.Count);
        _storage.OnPublished(final);
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "write plane: unexpected fault; the batch was failed")]
    private static partial void LogWriterFault(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "write plane: storage not writable: {Reason}")]
    private static partial void LogStorageFault(ILogger logger, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Reason}")]
    private static partial void LogStorageNotWritable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "{Reason}")]
    private static partial void LogStorageWritable(ILogger logger, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Critical, Message = "{Reason}")]
    private static partial void LogStorageHalted(ILogger logger, string reason);
}
