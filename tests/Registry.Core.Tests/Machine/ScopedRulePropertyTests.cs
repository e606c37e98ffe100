using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

/// <summary>
/// The scoped commit rule against a naive model: random interleavings of proposals built on any earlier version and
/// commits of any open one. A commit is accepted iff rules 1-5 hold, computed here from the list of committed changes
/// (not from the state's last-writer index); the chain the run produced verifies and replays to the same HEAD.
/// </summary>
public sealed class ScopedRulePropertyTests
{
    private static readonly string[] s_regions = ["region:0", "region:1", "region:2"];
    private static readonly string[] s_nodes = ["node:0", "node:1", "node:2"];

    private static Gen<List<(int Kind, int A, int B, int C)>> Commands =>
        (from kind in Gen.Frequency((4, Gen.Constant(0)), (5, Gen.Constant(1)), (1, Gen.Constant(2)))
         from a in Gen.Choose(0, 1000)
         from b in Gen.Choose(0, 1000)
         from c in Gen.Choose(0, 1000)
         select (kind, a, b, c)).ListOf();

    [Fact]
    public void Commit_RandomInterleavings_AcceptedIffTheFiveRulesHold_AndTheChainReplaysToHead()
    {
        PropertyCheck.Run(
            Prop.ForAll(Commands.ToArbitrary(), commands =>
            {
                var h = new Harness();
                var written = new List<HashSet<string>> { new(StringComparer.Ordinal) }; // index v: ids version v wrote ("*" for set_signers)
                foreach (var (kind, a, b, c) in commands)
                {
                    switch (kind)
                    {
                        case 0:
                            ProposeOnAnEarlierBase(h, a, b, c);
                            break;
                        case 1 when h.State.Pending.Count > 0:
                            var pending = h.State.Pending.Values.OrderBy(p => p.Id).ElementAt(a % h.State.Pending.Count);
                            var expected = RulesHold(h.State, pending.Proposal, written, h.Now);
                            var decision = h.Commit(pending.Proposal);
                            if ((decision.Kind == DecisionKind.Accepted) != expected)
                            {
                                return false;
                            }

                            if (decision.Kind == DecisionKind.Accepted)
                            {
                                written.Add(WrittenBy(pending.Proposal));
                                if (h.Commit(pending.Proposal).Kind != DecisionKind.Unchanged)
                                {
                                    return false;
                                }
                            }

                            break;
                        case 2:
                            h.Now = h.Now.Add(TimeSpan.FromMinutes(a % 40));
                            break;
                        default:
                            break;
                    }
                }

                var report = ChainVerifier.Verify(h.Genesis, h.Records, h.State.HeadHash);
                return report.Ok
                    && report.Head.Descriptors.Root == h.State.Descriptors.Root
                    && report.Head.Version == h.State.Version
                    && report.Head.LastWriters.Count == h.State.LastWriters.Count
                    && report.Head.LastWriters.All(w => h.State.LastWriters[w.Key] == w.Value)
                    && report.Head.Hashes.All().SequenceEqual(h.State.Hashes.All());
            }),
            maxTest: 200,
            endSize: 80);
    }

    private static void ProposeOnAnEarlierBase(Harness h, int a, int b, int c)
    {
        var baseVersion = h.State.Version - (a % (h.State.Version + 1));
        var at = h.At(baseVersion);
        var random = new Random(b);
        var changes = new List<Change>();
        if (c % 23 == 0)
        {
            changes.Add(new SetSignersChange(TestKeys.Set(at.SignerSet.Version + 1, 2, Alice, Bob, Carol)));
        }
        else
        {
            for (var i = 0; i <= c % 2; i++)
            {
                changes.Add(random.Next(4) switch
                {
                    0 => Given.Put(Given.Region(s_regions[random.Next(3)], "n" + random.Next(3))),
                    1 => Given.Put(Given.Node(s_nodes[random.Next(3)], s_regions[random.Next(3)], "10.0.0." + random.Next(5) + ":1")),
                    2 => Given.Delete(s_regions[random.Next(3)]),
                    _ => Given.Delete(s_nodes[random.Next(3)]),
                });
            }
        }

        var proposal = new Proposal(RegistryId, baseVersion, at.HeadHash, at.SignerSet.Version, null, [.. changes], h.Now.Add(TimeSpan.FromMinutes(10 + (a % 50))), "p" + c);
        if (h.Propose(proposal).Kind == DecisionKind.Accepted)
        {
            _ = h.Approve(proposal, Alice);
            _ = h.Approve(proposal, Bob);
        }
    }

    // Rules 1-5 from first principles: the naive history of written ids, a dictionary model of the data model rules.
    private static bool RulesHold(RegistryState head, Proposal proposal, List<HashSet<string>> written, Timestamp now)
    {
        var since = written.Skip((int)proposal.BaseVersion + 1).ToList();
        var rule2 = proposal.ScopesEverything ? since.Count == 0 : !since.Any(w => proposal.Scope.Any(w.Contains));
        var rule3 = proposal.SignerSetVersion == head.SignerSet.Version;
        var rule5 = now < proposal.ExpiresAt;
        return rule2 && rule3 && DataModelHolds(head, proposal) && rule5;
    }

    private static bool DataModelHolds(RegistryState head, Proposal proposal)
    {
        var model = head.Descriptors.ToDictionary(d => d.Id, d => (d.Kind, d.Region), StringComparer.Ordinal);
        foreach (var change in proposal.Changes)
        {
            switch (change)
            {
                case PutChange put:
                    model[put.Descriptor.Id] = (put.Descriptor.Kind, put.Descriptor.Region);
                    break;
                case DeleteChange delete when !model.Remove(delete.Id):
                    return false;
                case SetSignersChange set when set.SignerSet.Version != head.SignerSet.Version + 1:
                    return false;
                default:
                    break;
            }
        }

        return model.Values.All(d => d.Region is null || (model.TryGetValue(d.Region, out var r) && r.Kind == DescriptorKind.Region));
    }

    private static HashSet<string> WrittenBy(Proposal proposal) =>
        [.. proposal.Changes.Select(c => c switch { PutChange p => p.Descriptor.Id, DeleteChange d => d.Id, _ => "*" })];
}
