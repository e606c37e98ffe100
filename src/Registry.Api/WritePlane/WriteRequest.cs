using System.Diagnostics;
using Registry.Core.Crypto;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.WritePlane;

/// <summary>The three write commands.</summary>
public enum WriteKind
{
    /// <summary>Accept a proposal.</summary>
    Propose,

    /// <summary>Add an approval (signature already verified off the writer).</summary>
    Approve,

    /// <summary>Commit a proposal as the next version.</summary>
    Commit,

    /// <summary>Commit a complete proposal with its approvals in one record (pre-signed submission).</summary>
    Submit,

    /// <summary>A replica stores a commit record read from the node it follows, once it verifies (Replication/).</summary>
    Replicate,

    /// <summary>Drop the proposals that can no longer commit and whose retention has passed (the writer's own timer).</summary>
    Sweep,

    /// <summary>
    /// An HA node applies one event of the shared etcd log, by sequence, once it verifies as recovery verifies
    /// (HighAvailability/). Never batched with the other kinds: its batch goes only to the local copy.
    /// </summary>
    Follow,
}

/// <summary>The writer's answer to one command, given once the outcome is durable (or refused).</summary>
/// <param name="Kind">Accepted, Unchanged (idempotent repeat) or Rejected.</param>
/// <param name="Rejection">Why, when rejected.</param>
/// <param name="State">The state just after this command (HEAD at decision time for rejections).</param>
/// <param name="Event">The durable event, when accepted.</param>
public sealed record WriteOutcome(DecisionKind Kind, Rejection? Rejection, RegistryState State, RegistryEvent? Event);

/// <summary>One queued write command and the completion its HTTP request awaits.</summary>
public sealed class WriteRequest
{
    private WriteRequest(WriteKind kind, string corrId)
    {
        Kind = kind;
        CorrId = corrId;
    }

    /// <summary>The command.</summary>
    public WriteKind Kind { get; }

    /// <summary>The request's correlation id, carried into bus events.</summary>
    public string CorrId { get; }

    /// <summary>For propose.</summary>
    public Proposal? Proposal { get; private init; }

    /// <summary>For propose: the id of the capability token that authorised it (counted per token, recorded in the event).</summary>
    public string? ProposedBy { get; private init; }

    /// <summary>For propose: the state at the proposal's base, read by the handler (null when the base was not in the chain it saw).</summary>
    public RegistryState? BaseState { get; private init; }

    /// <summary>For approve and commit.</summary>
    public Digest ProposalId { get; private init; }

    /// <summary>For approve.</summary>
    public Approval? Approval { get; private init; }

    /// <summary>For approve: the key the signature was verified with before queueing.</summary>
    public Ed25519PublicKey? VerifiedWith { get; private init; }

    /// <summary>For submit: the approvals.</summary>
    public IReadOnlyList<Approval>? Approvals { get; private init; }

    /// <summary>For submit: the keys, by signer id, that the approvals' signatures were verified with before queueing.</summary>
    public IReadOnlyDictionary<string, Ed25519PublicKey>? VerifiedKeys { get; private init; }

    /// <summary>For replicate: the record to verify and store.</summary>
    public CommitRecord? Record { get; private init; }

    /// <summary>For replicate: the record's approval signatures checked before queueing (a cache the verifier consults by key).</summary>
    public PreverifiedApprovals Preverified { get; private init; } = PreverifiedApprovals.None;

    /// <summary>For follow: the event's sequence in the shared log.</summary>
    public long Sequence { get; private init; }

    /// <summary>For follow: the event's canonical bytes as the shared log holds them (not trusted).</summary>
    public ReadOnlyMemory<byte> Payload { get; private init; }

    /// <summary>When it was queued (Stopwatch ticks), for commit latency.</summary>
    public long QueuedAt { get; } = Stopwatch.GetTimestamp();

    /// <summary>Completed by the writer.</summary>
    public TaskCompletionSource<WriteOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A propose command.</summary>
    public static WriteRequest Propose(Proposal proposal, RegistryState? baseState, string corrId, string? proposedBy = null) =>
        new(WriteKind.Propose, corrId) { Proposal = proposal, ProposalId = proposal.Id, BaseState = baseState, ProposedBy = proposedBy };

    /// <summary>An approve command.</summary>
    public static WriteRequest Approve(Digest proposalId, Approval approval, Ed25519PublicKey? verifiedWith, string corrId) =>
        new(WriteKind.Approve, corrId) { ProposalId = proposalId, Approval = approval, VerifiedWith = verifiedWith };

    /// <summary>A pre-signed submission.</summary>
    public static WriteRequest Submit(Proposal proposal, IReadOnlyList<Approval> approvals, IReadOnlyDictionary<string, Ed25519PublicKey> verifiedKeys, string corrId) =>
        new(WriteKind.Submit, corrId) { Proposal = proposal, ProposalId = proposal.Id, Approvals = approvals, VerifiedKeys = verifiedKeys };

    /// <summary>A replicated record (a replica's follower is its only source).</summary>
    public static WriteRequest Replicate(CommitRecord record, string corrId, PreverifiedApprovals? preverified = null) =>
        new(WriteKind.Replicate, corrId) { Record = record, ProposalId = record.ProposalId, Preverified = preverified ?? PreverifiedApprovals.None };

    /// <summary>An event of the shared etcd log to verify and apply (an HA node's tailer is its only source).</summary>
    public static WriteRequest Follow(long sequence, ReadOnlyMemory<byte> payload) =>
        new(WriteKind.Follow, "etcd") { Sequence = sequence, Payload = payload };

    /// <summary>A sweep: drop what can no longer commit once its retention has passed.</summary>
    public static WriteRequest Sweep() => new(WriteKind.Sweep, "sweep");

    /// <summary>A commit command.</summary>
    public static WriteRequest Commit(Digest proposalId, string corrId) => new(WriteKind.Commit, corrId) { ProposalId = proposalId };
}
