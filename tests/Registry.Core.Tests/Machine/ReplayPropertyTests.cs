using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Machine;

/// <summary>Replay determinism and codec round trips over random command sequences.</summary>
public sealed class ReplayPropertyTests
{
    internal static Gen<List<(int Kind, int A, int B)>> Commands =>
        (from kind in Gen.Frequency((3, Gen.Constant(0)), (6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(3)), (2, Gen.Constant(4)))
         from a in Gen.Choose(0, 1000)
         from b in Gen.Choose(0, 1000)
         select (kind, a, b)).ListOf();

    [Fact]
    public void Apply_SameEventsFromGenesis_GiveSameHeadRootAndState()
    {
        PropertyCheck.Run(
            Prop.ForAll(Commands.ToArbitrary(), commands =>
            {
                var h = Scenario.Run(commands);
                var replayed = h.Events.Aggregate(RegistryState.FromGenesis(h.Genesis), (s, e) => s.Apply(e));
                var decoded = h.Events.Select(e => EventCodec.Decode(EventCodec.Encode(e)))
                    .Aggregate(RegistryState.FromGenesis(new GenesisRecord(Harness.RegistryId, Scenario.GenesisSet)), (s, e) => s.Apply(e));
                return StateAssert.Same(h.State, replayed) && StateAssert.Same(h.State, decoded);
            }),
            maxTest: 150,
            endSize: 60);
    }

    [Fact]
    public void EventCodec_EveryEvent_RoundTripsToTheSameBytes()
    {
        PropertyCheck.Run(
            Prop.ForAll(Commands.ToArbitrary(), commands =>
                Scenario.Run(commands).Events.All(e =>
                {
                    var bytes = EventCodec.Encode(e);
                    var back = EventCodec.Decode(bytes);
                    return back.GetType() == e.GetType() && EventCodec.Encode(back).AsSpan().SequenceEqual(bytes);
                })),
            maxTest: 100,
            endSize: 60);
    }

    [Fact]
    public void StateSnapshotCodec_AnyReachableState_RoundTripsAndReplaysOnward()
    {
        var gen = from commands in Commands from cut in Gen.Choose(0, 1000) select (Commands: commands, Cut: cut);
        PropertyCheck.Run(
            Prop.ForAll(gen.ToArbitrary(), sample =>
            {
                var h = Scenario.Run(sample.Commands);
                var cut = h.Events.Count == 0 ? 0 : sample.Cut % (h.Events.Count + 1);
                var middle = h.Events.Take(cut).Aggregate(RegistryState.FromGenesis(h.Genesis), (s, e) => s.Apply(e));

                var bytes = StateSnapshotCodec.ToArray(middle);
                var restored = StateSnapshotCodec.Read(bytes);
                var onward = h.Events.Skip(cut).Aggregate(restored, (s, e) => s.Apply(e));

                return StateAssert.Same(middle, restored)
                    && StateSnapshotCodec.ToArray(restored).AsSpan().SequenceEqual(bytes)
                    && StateAssert.Same(h.State, onward);
            }),
            maxTest: 100,
            endSize: 60);
    }

    [Fact]
    public void Scenario_Commands_ReachCommitsSetSignersAndSetLogKey()
    {
        // Guards the generator: the properties above are only as good as the states they reach.
        var h = Scenario.Chain(12, seed: 7);
        Console.Error.WriteLine(string.Join("\n", h.Records.Select(r => string.Join(",", r.Proposal.Changes.Select(c => c.Op)))));
        Assert.True(h.State.Version >= 12);
        Assert.Contains(h.Records, r => r.Proposal.Changes.Any(c => c is SetSignersChange));
        Assert.Contains(h.Records, r => r.Proposal.Changes.Any(c => c is DeleteChange));
        var runs = Commands.Sample(60, 40).Select(Scenario.Run).ToList();
        Assert.True(runs.Sum(r => r.State.Version) >= 60, $"only {runs.Sum(r => r.State.Version)} commits in 40 random runs");
        Assert.Contains(runs, r => r.Records.Any(c => c.Proposal.Changes.Any(x => x is SetSignersChange)));
        Assert.Contains(runs, r => r.Records.Any(c => c.Proposal.Changes.Any(x => x is SetLogKeyChange)));
        Assert.Contains(runs, r => r.State.Pending.Values.Any(p => p.Approvals.Length > 0));
    }
}
