using BenchmarkDotNet.Attributes;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Benchmarks.Core;

/// <summary>
/// Deciding and applying a 10-change commit (7 puts replacing nodes, 2 new nodes, 1 delete) to a state of N
/// descriptors: quorum check, data-model rules, the new state root, the commit record and its hash, and the
/// new immutable state. Issue 2 targets: under 100 µs at 50,000; 500,000 within 2x of 5,000.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class CommitApplyBenchmarks
{
    private RegistryState _state = null!;
    private Digest _proposalId;
    private Timestamp _now;

    [Params(5_000, 50_000, 500_000)]
    public int Descriptors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var fixture = CoreFixture.WithPendingProposal(Descriptors, changes: 10, approvals: 2);
        _state = fixture.State;
        _proposalId = fixture.Proposal.Id;
        _now = fixture.Now;
        var check = RegistryMachine.DecideCommit(_state, _proposalId, _now);
        if (check.Kind != DecisionKind.Accepted)
        {
            throw new InvalidOperationException($"Fixture commit is {check.Kind}: {check.Rejection?.Detail}");
        }
    }

    [Benchmark]
    public RegistryState DecideAndApplyCommit()
    {
        var decision = RegistryMachine.DecideCommit(_state, _proposalId, _now);
        return _state.Apply(decision.Event!);
    }
}
