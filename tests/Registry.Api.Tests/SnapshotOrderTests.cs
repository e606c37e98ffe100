using System.Text.Json;
using Registry.Api.ReadPlane;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Api.Tests;

/// <summary>
/// Snapshot bodies list descriptors sorted by id; the cache patches its last sorted list with the difference between
/// trees instead of sorting again. Whatever the sequence of versions asked for, the list equals a fresh sort.
/// </summary>
public sealed class SnapshotOrderTests
{
    [Fact]
    public void SortedDescriptors_VersionsForwardBackwardAndUnrelated_AlwaysEqualAFreshSort()
    {
        var random = new Random(20261122);
        var versions = new List<StateTree> { StateTree.Empty };
        var tree = StateTree.Empty;
        for (var v = 0; v < 200; v++)
        {
            // Small commits (puts of new and existing ids, replacements, deletes), and now and then a big one.
            var changes = v % 50 == 49 ? 300 : random.Next(1, 6);
            for (var c = 0; c < changes; c++)
            {
                var id = $"region:r{random.Next(0, 400):D3}";
                tree = random.Next(0, 5) == 0 ? tree.Remove(id) : tree.Put(Region(id, $"name {random.Next()}"));
            }

            versions.Add(tree);
        }

        // Unrelated to the rest: the same ids rebuilt from scratch (nothing shared).
        versions.Add(StateTree.Build(tree.Select(d => Region(d.Id, "rebuilt"))));

        var cache = new SnapshotCache();
        var order = Enumerable.Range(0, versions.Count).Concat(Enumerable.Range(0, versions.Count).Reverse())
            .Concat(Enumerable.Range(0, 300).Select(_ => random.Next(0, versions.Count)));
        foreach (var index in order)
        {
            var expected = versions[index].OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
            var got = cache.SortedDescriptors(versions[index]);
            Assert.Equal(expected.Select(d => d.Id), got.Select(d => d.Id));
            Assert.True(expected.Zip(got).All(p => ReferenceEquals(p.First, p.Second)), $"version {index}: a stale descriptor value");
        }
    }

    private static Descriptor Region(string id, string name) =>
        Descriptor.FromJson(JsonDocument.Parse($"{{\"kind\":\"region\",\"id\":\"{id}\",\"attrs\":{{\"name\":\"{name}\"}}}}").RootElement);
}
