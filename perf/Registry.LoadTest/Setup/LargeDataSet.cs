using Registry.Core.Model;

namespace Registry.LoadTest.Setup;

/// <summary>
/// The large data set, the same on both sides: commit 1 puts the 10 regions (an etcd txn of the same 10 puts),
/// then one commit (one etcd put) per node until there are <see cref="Descriptors"/> descriptors, then one commit
/// per update of an existing node (round robin) until there are <see cref="Commits"/> commits. So HEAD holds
/// <see cref="Descriptors"/> descriptors, the registry has <see cref="Commits"/> versions and SSE events, and etcd
/// has <see cref="Commits"/> revisions after its first and the same number of watch events.
/// </summary>
public sealed record LargeDataSet(int Descriptors, int Commits)
{
    /// <summary>Key changes etcd's watch delivers for the whole set: the 10 region puts of the first revision come as 10 events.</summary>
    public int KeyChanges => Commits - 1 + Payload.Regions;

    /// <summary>Nodes at HEAD.</summary>
    public int Nodes => Descriptors - Payload.Regions;

    /// <summary>The descriptors commit <paramref name="version"/> (1-based) puts.</summary>
    public IReadOnlyList<Descriptor> Changes(long version)
    {
        if (version == 1)
        {
            return [.. Enumerable.Range(0, Payload.Regions).Select(Payload.Region)];
        }

        var write = (int)(version - 2);
        var node = write % Nodes;
        return [Payload.Node(NodeId(node), node, write / Nodes)];
    }

    /// <summary>Node id <paramref name="n"/>.</summary>
    public static string NodeId(int n) => $"node:large-{n:000000}";
}
