using Registry.Core;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.WritePlane;

public sealed partial class WritePlane
{
    /// <summary>
    /// A replica's record (SPEC §9): verified by <see cref="RegistryMachine.Verify(RegistryState, CommitRecord, out RegistryState?)"/>,
    /// the same check recovery and <c>ronctl verify</c> run (link, proposal id, scope and commit rule, approvals and
    /// quorum under the signer set of that version, data model, state root by replay), against the writer's own state;
    /// stored and published exactly as a commit decided here, or refused with the first problem and nothing stored.
    /// Signatures the follower checked in parallel before queueing (<paramref name="preverified"/>) are not checked again
    /// when the writer's state gives their signers the same keys.
    /// </summary>
    private static WriteOutcome DecideReplicate(RegistryState state, CommitRecord record, PreverifiedApprovals preverified) =>
        RegistryMachine.Verify(state, record, preverified, out var next) is { } error
            ? new WriteOutcome(DecisionKind.Rejected, new Rejection(RegistryErrorCode.ChainMismatch, error), state, null)
            : new WriteOutcome(DecisionKind.Accepted, null, next!, new Committed(record));
}
