using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Store.Tests.Support;

/// <summary>
/// Builds real, signed registry events (proposal accepted, approval accepted, committed) on top of a state, through
/// Registry.Core's state machine, with deterministic keys and a deterministic clock. Shared by the store tests, the
/// crash child and the benchmarks.
/// </summary>
internal sealed class ChainBuilder : IDisposable
{
    public const string RegistryId = "test-registry";
    private static readonly Timestamp s_start = new(1_767_225_600_000); // 2026-01-01T00:00:00Z
    private readonly Ed25519SecretKey[] _keys;

    public ChainBuilder(RegistryState? from = null)
    {
        _keys = [.. Enumerable.Range(1, 2).Select(n => Ed25519SecretKey.FromSeed(Digest.Compute(Encoding.UTF8.GetBytes($"store-test-signer-{n}")).Bytes))];
        Genesis = new GenesisRecord(RegistryId, SignerSet.Create(1, 1, _keys.Select((k, i) => new Signer($"signer-{i + 1}", k.PublicKey))));
        State = from ?? RegistryState.FromGenesis(Genesis);
        Now = State.Head is { } head ? head.CommittedAt.Add(TimeSpan.FromMilliseconds(1)) : s_start;
    }

    /// <summary>The genesis every builder shares (same keys, same registry id).</summary>
    public GenesisRecord Genesis { get; }

    /// <summary>The state after every event built so far.</summary>
    public RegistryState State { get; private set; }

    /// <summary>The clock used for the next event; advances 1 ms per event.</summary>
    public Timestamp Now { get; private set; }

    /// <summary>Proposes putting <paramref name="count"/> region descriptors (ids from <paramref name="firstId"/>).</summary>
    public ProposalAccepted Propose(int firstId, int count = 1, int attrBytes = 16)
    {
        var changes = string.Join(",", Enumerable.Range(firstId, count).Select(i =>
            "{\"op\":\"put\",\"descriptor\":{\"kind\":\"region\",\"id\":\"region:r" + i + "\",\"attrs\":{\"name\":\"R" + i
            + "\",\"pad\":\"" + new string('p', attrBytes) + "\"}}}"));
        var json = $$"""{"registry":"{{RegistryId}}","base_version":{{State.Version}},"base_hash":"{{State.HeadHash}}","changes":[{{changes}}],"expires_at":"{{Now.Add(TimeSpan.FromDays(1))}}","note":""}""";
        using var document = JsonDocument.Parse(json);
        var proposal = Proposal.FromJson(document.RootElement, new ProposalDefaults(RegistryId, Now.Add(TimeSpan.FromDays(1)), State.SignerSet.Version));
        return Apply(RegistryMachine.DecidePropose(State, proposal, Tick()));
    }

    /// <summary>Approves an open proposal with the first signer.</summary>
    public ApprovalAccepted Approve(Digest proposalId) =>
        Apply(RegistryMachine.DecideApprove(State, proposalId, Approval.Sign("signer-1", _keys[0], proposalId), Tick()));

    /// <summary>Commits an approved proposal.</summary>
    public Committed Commit(Digest proposalId) => Apply(RegistryMachine.DecideCommit(State, proposalId, Tick()));

    /// <summary>The three events of one full write: propose, approve, commit.</summary>
    public RegistryEvent[] Write(int firstId, int count = 1, int attrBytes = 16)
    {
        var proposed = Propose(firstId, count, attrBytes);
        return [proposed, Approve(proposed.Proposal.Id), Commit(proposed.Proposal.Id)];
    }

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }

    private Timestamp Tick()
    {
        var now = Now;
        Now = Now.Add(TimeSpan.FromMilliseconds(1));
        return now;
    }

    private T Apply<T>(Decision<T> decision)
        where T : RegistryEvent
    {
        if (decision.Kind != DecisionKind.Accepted || decision.Event is null)
        {
            throw new InvalidOperationException($"The state machine refused the event: {decision.Kind} {decision.Rejection}");
        }

        State = State.Apply(decision.Event);
        return decision.Event;
    }
}
