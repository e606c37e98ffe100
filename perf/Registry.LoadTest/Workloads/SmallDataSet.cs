using System.Text;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// The data the read and write workloads run against, put into both systems the same way: version 1 holds 10
/// regions and the nodes (one registry commit = one etcd txn of the same puts = one revision), then four commits
/// that each update 10 nodes. etcd also gets key <c>head</c> holding the exact bytes of svc-registry's
/// <c>GET /registry/head</c> answer, so both head reads return the same document.
/// </summary>
public sealed record SmallDataSet(long HistoricalVersion, long HistoricalRevision, int Descriptors, int HeadBytes)
{
    /// <summary>etcd key of the head document.</summary>
    public static readonly byte[] HeadKey = Encoding.UTF8.GetBytes("head");

    /// <summary>Seeds both systems.</summary>
    public static async Task<SmallDataSet> SeedAsync(RegistryClient registry, EtcdClient etcd, int descriptors)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(etcd);
        var first = Enumerable.Range(0, Payload.Regions).Select(Payload.Region)
            .Concat(Enumerable.Range(0, descriptors - Payload.Regions).Select(n => Payload.Node(NodeId(n), n, 0)))
            .ToList();
        var versions = new List<(long Version, long Revision)>();
        await CommitBothAsync(first);
        for (var round = 1; round <= 4; round++)
        {
            await CommitBothAsync(Enumerable.Range(0, 10).Select(i => (i * 7 + round) % (descriptors - Payload.Regions)).Distinct().Select(n => Payload.Node(NodeId(n), n, round)).ToList());
        }

        using var head = await registry.Http.GetAsync("/registry/head");
        head.EnsureSuccessStatusCode();
        var headBytes = await head.Content.ReadAsByteArrayAsync();
        await etcd.PutAsync(HeadKey, headBytes);
        // Read one version behind HEAD: a committed, immutable version that is not the newest.
        var (version, revision) = versions[^2];
        return new SmallDataSet(version, revision, descriptors, headBytes.Length);

        async Task CommitBothAsync(List<Registry.Core.Model.Descriptor> batch)
        {
            var next = await registry.CommitChangesAsync(batch.Select(Payload.PutChange));
            var rev = await etcd.PutAllAsync(batch.Select(d => (Payload.Key(d.Id), d.CanonicalBytes.ToArray())));
            versions.Add((next.Version, rev));
        }
    }

    /// <summary>Node id <paramref name="n"/>.</summary>
    public static string NodeId(int n) => $"node:perf-{n:000000}";
}
