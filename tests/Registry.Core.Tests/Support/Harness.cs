using System.Collections.Immutable;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Tests.Support;

/// <summary>
/// A registry in memory driven through the state machine exactly as the writer drives it: decide, then apply the
/// accepted event. Genesis: registry "test-registry", signers alice (seed 0x01), bob (0x02), carol (0x03), 2 of 3.
/// Records every accepted event so tests can replay them.
/// </summary>
internal sealed class Harness
{
    public const string RegistryId = "test-registry";

    public static readonly (string Id, byte Fill) Alice = ("alice", 0x01);
    public static readonly (string Id, byte Fill) Bob = ("bob", 0x02);
    public static readonly (string Id, byte Fill) Carol = ("carol", 0x03);

    private readonly List<RegistryEvent> _events = [];
    private readonly List<RegistryState> _versions = [];

    public Harness(SignerSet? genesisSet = null)
    {
        Genesis = new GenesisRecord(RegistryId, genesisSet ?? TestKeys.Set(1, 2, Alice, Bob, Carol));
        State = RegistryState.FromGenesis(Genesis);
        _versions.Add(State);
    }

    public GenesisRecord Genesis { get; }

    public RegistryState State { get; private set; }

    /// <summary>The clock the harness passes as <c>now</c>; advances 1 s per accepted command.</summary>
    public Timestamp Now { get; set; } = Timestamp.From(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public IReadOnlyList<RegistryEvent> Events => _events;

    public IEnumerable<CommitRecord> Records => _events.OfType<Committed>().Select(c => c.Record);

    public Proposal Build(params Change[] changes) => Build(changes, TimeSpan.FromHours(1));

    public Proposal Build(IEnumerable<Change> changes, TimeSpan ttl, string note = "") =>
        new(RegistryId, State.Version, State.HeadHash, State.SignerSet.Version, null, [.. changes], Now.Add(ttl), note);

    /// <summary>The state at <paramref name="version"/> (after its commit).</summary>
    public RegistryState At(long version) => _versions[(int)version];

    public Decision<ProposalAccepted> Propose(Proposal proposal, string? proposedBy = null, PendingLimits? limits = null) =>
        Applied(RegistryMachine.DecidePropose(State, proposal, Now, proposal.BaseVersion < _versions.Count ? _versions[(int)proposal.BaseVersion] : null, limits, proposedBy));

    /// <summary>Drops those of <paramref name="ids"/> that can no longer commit, as the writer's sweep does.</summary>
    public Decision<ProposalsDropped> Drop(params Digest[] ids) => Applied(RegistryMachine.DecideDrop(State, ids, Now));

    public Decision<ApprovalAccepted> Approve(Proposal proposal, (string Id, byte Fill) signer) =>
        Approve(proposal.Id, Approval.Sign(signer.Id, TestKeys.Key(signer.Fill), proposal.Id));

    public Decision<ApprovalAccepted> Approve(Digest proposalId, Approval approval) =>
        Applied(RegistryMachine.DecideApprove(State, proposalId, approval, Now));

    public Decision<Committed> Commit(Proposal proposal) => Applied(RegistryMachine.DecideCommit(State, proposal.Id, Now));

    /// <summary>Proposes, approves by <paramref name="signers"/> (alice and bob by default) and commits; asserts each step.</summary>
    public CommitRecord CommitChanges(IEnumerable<Change> changes, params (string Id, byte Fill)[] signers)
    {
        var proposal = Build([.. changes]);
        Expect(Propose(proposal));
        foreach (var signer in signers.Length == 0 ? [Alice, Bob] : signers)
        {
            Expect(Approve(proposal, signer));
        }

        return Expect(Commit(proposal)).Record;
    }

    public CommitRecord CommitChanges(params Change[] changes) => CommitChanges(changes, []);

    public static TEvent Expect<TEvent>(Decision<TEvent> decision)
        where TEvent : RegistryEvent
    {
        Assert.True(decision.Kind == DecisionKind.Accepted, $"Expected acceptance, got {decision.Kind}: {decision.Rejection?.Code} {decision.Rejection?.Detail}");
        return decision.Event!;
    }

    public static void ExpectRejected<TEvent>(Decision<TEvent> decision, RegistryErrorCode code)
        where TEvent : RegistryEvent
    {
        Assert.Equal(DecisionKind.Rejected, decision.Kind);
        Assert.Equal(code, decision.Rejection!.Code);
        Assert.Null(decision.Event);
    }

    private Decision<TEvent> Applied<TEvent>(Decision<TEvent> decision)
        where TEvent : RegistryEvent
    {
        if (decision.Kind == DecisionKind.Accepted)
        {
            State = State.Apply(decision.Event!);
            _events.Add(decision.Event!);
            if (decision.Event is Committed)
            {
                _versions.Add(State);
            }

            Now = Now.Add(TimeSpan.FromSeconds(1));
        }

        return decision;
    }
}
