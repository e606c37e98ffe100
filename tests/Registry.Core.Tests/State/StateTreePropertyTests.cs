using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.State;

/// <summary>
/// Random put/delete histories against a dictionary model: Put/Remove, Build and the from-the-definition root
/// agree at every step, so the root depends only on the final set (history and order independence).
/// </summary>
public sealed class StateTreePropertyTests
{
    // 40 ids × 2 versions each, built once: descriptor construction is not what is under test.
    private static readonly Descriptor[,] s_pool = BuildPool(40);

    private static Gen<(bool Put, int Id, int Version)> Op =>
        from put in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        from id in Gen.Choose(0, 39)
        from version in Gen.Choose(0, 1)
        select (put, id, version);

    [Fact]
    public void PutRemove_RandomHistory_AgreesWithBuildAndReferenceAtEveryStep()
    {
        PropertyCheck.Run(
            Prop.ForAll(Op.ListOf().ToArbitrary(), ops =>
            {
                var tree = StateTree.Empty;
                var model = new Dictionary<string, Descriptor>(StringComparer.Ordinal);
                foreach (var (put, id, version) in ops)
                {
                    var d = s_pool[id, version];
                    if (put)
                    {
                        tree = tree.Put(d);
                        model[d.Id] = d;
                    }
                    else
                    {
                        tree = tree.Remove(d.Id);
                        model.Remove(d.Id);
                    }

                    if (tree.Count != model.Count || tree.Root != StateTree.Build(model.Values).Root || tree.Root != ReferenceRoot.Of(model.Values))
                    {
                        return false;
                    }
                }

                return model.Values.All(d => tree.TryGet(d.Id, out var got) && ReferenceEquals(got, d) && tree.Prove(d.Id)!.Verify(d, tree.Root))
                    && tree.Select(d => d.Id).Order(StringComparer.Ordinal).SequenceEqual(model.Keys.Order(StringComparer.Ordinal));
            }),
            maxTest: 300);
    }

    [Fact]
    public void DiffFrom_TwoRandomHistories_IsExactlyTheSetDifference()
    {
        PropertyCheck.Run(
            Prop.ForAll(Op.ListOf().ToArbitrary(), Op.ListOf().ToArbitrary(), Gen.Elements(true, false).ToArbitrary(), (first, second, shared) =>
            {
                var before = Replay(StateTree.Empty, first);

                // Either derived from 'before' (shares structure: the fast path) or built separately (nothing shared).
                var after = Replay(shared ? before : StateTree.Empty, second);
                var (put, removed) = after.DiffFrom(before);

                var old = before.ToDictionary(d => d.Id, StringComparer.Ordinal);
                var now = after.ToDictionary(d => d.Id, StringComparer.Ordinal);
                var expectedPut = now.Values.Where(d => !old.TryGetValue(d.Id, out var o) || o.Hash != d.Hash).Select(d => d.Id).Order(StringComparer.Ordinal);
                var expectedRemoved = old.Keys.Where(id => !now.ContainsKey(id)).Order(StringComparer.Ordinal);
                return put.Select(d => d.Id).Order(StringComparer.Ordinal).SequenceEqual(expectedPut)
                    && removed.Order(StringComparer.Ordinal).SequenceEqual(expectedRemoved)
                    && put.All(d => ReferenceEquals(now[d.Id], d));
            }),
            maxTest: 300);
    }

    private static StateTree Replay(StateTree tree, IEnumerable<(bool Put, int Id, int Version)> ops)
    {
        foreach (var (put, id, version) in ops)
        {
            tree = put ? tree.Put(s_pool[id, version]) : tree.Remove(s_pool[id, version].Id);
        }

        return tree;
    }

    [Fact]
    public void Put_SameSetInAnyOrderWithDetours_GivesTheSameRoot()
    {
        var gen =
            from ids in Gen.SubListOf(Enumerable.Range(0, 40).ToArray())
            from order in Gen.Shuffle(ids.ToArray())
            from detours in Gen.SubListOf(Enumerable.Range(0, 40).ToArray())
            select (Ids: ids.ToArray(), Order: order, Detours: detours.ToArray());
        PropertyCheck.Run(
            Prop.ForAll(gen.ToArbitrary(), sample =>
            {
                var direct = sample.Ids.Aggregate(StateTree.Empty, (t, i) => t.Put(s_pool[i, 0]));

                // Same final set, reached another way: other versions and extra ids first, then fixed up.
                var roundabout = sample.Detours.Aggregate(StateTree.Empty, (t, i) => t.Put(s_pool[i, 1]));
                roundabout = sample.Order.Aggregate(roundabout, (t, i) => t.Put(s_pool[i, 0]));
                roundabout = sample.Detours.Where(i => !sample.Ids.Contains(i)).Aggregate(roundabout, (t, i) => t.Remove(s_pool[i, 1].Id));

                return direct.Root == roundabout.Root && direct.Count == roundabout.Count;
            }),
            maxTest: 300);
    }

    private static Descriptor[,] BuildPool(int n)
    {
        var pool = new Descriptor[n, 2];
        for (var i = 0; i < n; i++)
        {
            pool[i, 0] = Given.Region("region:" + i, "first");
            pool[i, 1] = Given.Region("region:" + i, "second");
        }

        return pool;
    }
}
