using Registry.Core;
using Registry.Core.Machine;
using Registry.Core.State;

namespace Registry.Api.WritePlane;

public sealed partial class WritePlane
{
    /// <summary>
    /// A batch of events followed from the shared etcd log (SPEC §9, docs/HA.md), in sequence order. Each is decided
    /// here, against the writer's own state, exactly as recovery replays the local log (EventReplayer): decoded, a
    /// commit verified by <see cref="RegistryMachine.Verify(RegistryState, Core.Model.CommitRecord, out RegistryState?)"/>
    /// (link, proposal id, approvals and quorum, the commit rule, the state root by replay), an approval's signature
    /// checked, and the canonical bytes required to be the ones the log holds. An event this node already holds (its
    /// own append, seen again through the watch) is skipped; one past the next sequence is a gap the tailer fills by
    /// reading. The verified ones go to the local copy only and are published as any batch.
    /// </summary>
    private async Task FollowAsync(List<WriteRequest> batch, List<RegistryEvent> events, List<WriteOutcome> outcomes)
    {
        var state = _view.Current.State;
        var next = _storage.EventCount;
        var accepted = new List<WriteRequest>(batch.Count);
        var acceptedOutcomes = new List<WriteOutcome>(batch.Count);
        foreach (var request in batch)
        {
            var expected = next + events.Count;
            WriteOutcome outcome;
            if (request.Sequence < expected)
            {
                outcome = new WriteOutcome(DecisionKind.Unchanged, null, state, null);
            }
            else if (request.Sequence > expected)
            {
                outcome = new WriteOutcome(DecisionKind.Rejected, new Rejection(RegistryErrorCode.Busy, $"event {request.Sequence} follows a gap: the next event is {expected}"), state, null);
            }
            else
            {
                outcome = DecideFollow(state, request);
                if (outcome.Event is not null)
                {
                    state = outcome.State;
                    events.Add(outcome.Event);
                    accepted.Add(request);
                    acceptedOutcomes.Add(outcome);
                }
            }

            outcomes.Add(outcome);
            if (outcome.Event is null)
            {
                request.Completion.TrySetResult(outcome);
            }
        }

        if (events.Count == 0)
        {
            return;
        }

        try
        {
            await _storage.AppendFollowedAsync(events, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The local copy could not take events the shared log holds: nothing was published, and the tailer reads
            // them again; a local copy that may hold them half is settled only by a restart's recovery.
            AnswerAll(accepted, NotReady(Halt("the local copy failed to store events of the shared log: " + ex.Message, ex, haltStorage: true)));
            return;
        }

        PublishDurable(accepted, acceptedOutcomes, state, "publishing followed events that are already stored failed: ");
    }

    private static WriteOutcome DecideFollow(RegistryState state, WriteRequest request)
    {
        RegistryEvent @event;
        try
        {
            @event = EventCodec.Decode(request.Payload);
        }
        catch (FormatException ex)
        {
            return Refused(state, $"event {request.Sequence} of the shared log is not a registry event: {ex.Message}");
        }

        if (!EventCodec.Encode(@event).AsSpan().SequenceEqual(request.Payload.Span))
        {
            return Refused(state, $"event {request.Sequence} of the shared log is not in canonical form");
        }

        switch (@event)
        {
            case Committed committed:
                return RegistryMachine.Verify(state, committed.Record, out var next) is { } error
                    ? Refused(state, $"event {request.Sequence} of the shared log: commit fails verification: {error}")
                    : new WriteOutcome(DecisionKind.Accepted, null, next!, @event);

            case ApprovalAccepted approval:
                if (!state.Pending.TryGetValue(approval.ProposalId, out var pending)
                    || !RegistryMachine.TryGetApproverKey(state, pending, approval.Approval.SignerId, out var key)
                    || !approval.Approval.Verify(key, approval.ProposalId))
                {
                    return Refused(state, $"event {request.Sequence} of the shared log: approval by '{approval.Approval.SignerId}' of {approval.ProposalId} does not verify");
                }

                break;
        }

        try
        {
            return new WriteOutcome(DecisionKind.Accepted, null, state.Apply(@event), @event);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return Refused(state, $"event {request.Sequence} of the shared log does not fit the state at version {state.Version}: {ex.Message}");
        }
    }

    private static WriteOutcome Refused(RegistryState state, string detail) =>
        new(DecisionKind.Rejected, new Rejection(RegistryErrorCode.ChainMismatch, detail), state, null);

    /// <summary>
    /// Null, or the refusal of a proposal (or pre-signed submission) whose events could not be stored: with etcd as the
    /// log, an event must fit one etcd request (SPEC §9), so it is refused here, when it is proposed, rather than
    /// accepted and then never committable. A proposal's commit record adds its approvals and hashes to the proposal,
    /// so the bound leaves room for a full signer set's approvals.
    /// </summary>
    private Rejection? TooLargeToStore(RegistryState state, RegistryEvent @event)
    {
        var limit = _storage.MaxEventBytes;
        if (limit == int.MaxValue)
        {
            return null;
        }

        var size = EventCodec.Encode(@event).Length;
        var room = @event is ProposalAccepted ? 1_024 + (state.SignerSet.Signers.Length * 256) : 0;
        return size + room <= limit
            ? null
            : new Rejection(RegistryErrorCode.PayloadTooLarge, $"The proposal's events encode to {size + room} bytes with room for its approvals; the storage (etcd, one request per event, etcd.max_request_bytes) takes at most {limit}.");
    }
}
