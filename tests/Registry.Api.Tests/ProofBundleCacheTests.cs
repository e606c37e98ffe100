using Registry.Api.Transparency;
using Registry.Core.Model;

namespace Registry.Api.Tests;

/// <summary>The serialized proof bundles of the served checkpoint: one generation per checkpoint, keyed by id and since, bounded.</summary>
public sealed class ProofBundleCacheTests
{
    [Fact]
    public void TryGet_SameCheckpointIdAndSince_ReturnsTheBytesAdded_AndNothingForAnotherKey()
    {
        var cache = new ProofBundleCache();
        var checkpoint = At(5);
        Assert.Null(cache.TryGet(checkpoint, "region:eu", 0));
        byte[] body = [1, 2, 3];
        cache.Add(checkpoint, "region:eu", 0, body);
        Assert.Same(body, cache.TryGet(checkpoint, "region:eu", 0));
        Assert.Null(cache.TryGet(checkpoint, "region:eu", 3));
        Assert.Null(cache.TryGet(checkpoint, "region:us", 0));
    }

    [Fact]
    public void TryGet_AnotherCheckpointOfTheSameSize_MissesAndItsAddDropsTheOlderGeneration()
    {
        var cache = new ProofBundleCache();
        var first = At(5);
        cache.Add(first, "region:eu", 0, [1]);
        var resigned = At(5);
        Assert.Null(cache.TryGet(resigned, "region:eu", 0));
        cache.Add(resigned, "region:eu", 0, [2]);
        Assert.Equal([2], cache.TryGet(resigned, "region:eu", 0)!);
        Assert.Null(cache.TryGet(first, "region:eu", 0));
    }

    [Fact]
    public void Add_OlderCheckpointAfterANewer_KeepsTheNewerGeneration()
    {
        var cache = new ProofBundleCache();
        var newer = At(9);
        cache.Add(newer, "region:eu", 0, [9]);
        var older = At(8);
        cache.Add(older, "region:eu", 0, [8]);
        Assert.Null(cache.TryGet(older, "region:eu", 0));
        Assert.Equal([9], cache.TryGet(newer, "region:eu", 0)!);
    }

    [Fact]
    public void Add_BeyondCapacity_HoldsNoMore()
    {
        var cache = new ProofBundleCache();
        var checkpoint = At(2);
        for (var i = 0; i <= ProofBundleCache.Capacity; i++)
        {
            cache.Add(checkpoint, $"node:{i}", 0, [1]);
        }

        Assert.NotNull(cache.TryGet(checkpoint, "node:0", 0));
        Assert.NotNull(cache.TryGet(checkpoint, $"node:{ProofBundleCache.Capacity - 1}", 0));
        Assert.Null(cache.TryGet(checkpoint, $"node:{ProofBundleCache.Capacity}", 0));
    }

    private static SignedCheckpoint At(long size) => new(size, default, 1, [0x61]);
}
