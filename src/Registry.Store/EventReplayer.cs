using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store.Log;

namespace Registry.Store;

/// <summary>
/// Applies log entries to a state the way recovery and verification must: decode, and re-verify every commit
/// (link, proposal digest, CAS base, signer set, every approval signature, quorum, data model, state root) before
/// applying it. Anything that does not check out is corruption of the log, named by file and offset.
/// </summary>
internal static class EventReplayer
{
    /// <summary>
    /// The log from <paramref name="from"/>, each entry decoded and its commit's approval signatures (and with
    /// <paramref name="approvalEvents"/> its approval event's) checked in parallel a window ahead of the caller
    /// (<see cref="ApprovalPreverifier"/>), for <see cref="Apply"/> to consume in order.
    /// </summary>
    public static IEnumerable<Preverified<LogEntry>> Read(IEventLog log, LogPosition from, SignerSet inForce, bool approvalEvents) =>
        ApprovalPreverifier.Run(log.Read(from), static entry => EventCodec.Decode(entry.Payload), inForce, approvalEvents);

    /// <summary>The state after <paramref name="item"/>'s entry; counts what it verified into <paramref name="counters"/>.</summary>
    /// <exception cref="CorruptStoreException">The entry does not decode, or does not verify against the state.</exception>
    public static RegistryState Apply(RegistryState state, Preverified<LogEntry> item, IEventLog log, ReplayCounters counters, bool verifyApprovalSignatures)
    {
        var entry = item.Item;
        RegistryEvent @event;
        try
        {
            @event = item.Event;
        }
        catch (FormatException ex)
        {
            throw Corrupt(log, entry, $"log entry #{entry.Position.Sequence} is not a registry event: {ex.Message}", ex);
        }

        switch (@event)
        {
            case Committed committed:
                if (RegistryMachine.Verify(state, committed.Record, item.Approvals, out var next) is { } error)
                {
                    throw Corrupt(log, entry, $"log entry #{entry.Position.Sequence}: commit fails verification: {error}");
                }

                counters.Commits++;
                return next!;

            case ApprovalAccepted approval when verifyApprovalSignatures:
                if (!state.Pending.TryGetValue(approval.ProposalId, out var pending)
                    || !RegistryMachine.TryGetApproverKey(state, pending, approval.Approval.SignerId, out var key)
                    || !(item.Approvals.Covers(0, key) || approval.Approval.Verify(key, approval.ProposalId)))
                {
                    throw Corrupt(log, entry,
                        $"log entry #{entry.Position.Sequence}: approval by '{approval.Approval.SignerId}' of {approval.ProposalId} does not verify");
                }

                counters.Approvals++;
                break;
        }

        try
        {
            counters.Events++;
            return state.Apply(@event);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw Corrupt(log, entry, $"log entry #{entry.Position.Sequence} does not fit the state at version {state.Version}: {ex.Message}", ex);
        }
    }

    private static CorruptStoreException Corrupt(IEventLog log, LogEntry entry, string cause, Exception? inner = null)
    {
        var (file, offset) = log.Locate(entry.Position);
        return new CorruptStoreException(file, offset, cause, inner);
    }
}
