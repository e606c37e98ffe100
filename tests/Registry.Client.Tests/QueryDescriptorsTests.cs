using Registry.Client.Models;
using Registry.Client.Tests.Support;
using Registry.Core.Model;

namespace Registry.Client.Tests;

/// <summary><see cref="RegistryClient.QueryDescriptorsAsync"/> against a real service: filters, the page cursor, typed errors.</summary>
public sealed class QueryDescriptorsTests(ServiceFixture fx) : IClassFixture<ServiceFixture>
{
    [Fact]
    public async Task Query_FiltersByPrefixKindRegion_AndPagesWithNext()
    {
        var client = fx.Client();
        var version = await Dev.CommitAsync(client,
            Dev.Region("region:q-1"), Dev.Node("node:q-1-a", "region:q-1"), Dev.Node("node:q-1-b", "region:q-1"), Dev.Node("node:q-1-c", "region:q-1"));

        var first = await client.QueryDescriptorsAsync(version, new DescriptorQuery(Prefix: "node:q-1-", Limit: 2));
        Assert.Equal(version, first.Version);
        Assert.Equal(3, first.Matched);
        Assert.Equal(["node:q-1-a", "node:q-1-b"], first.Descriptors.Select(d => d.Id));
        Assert.Equal("node:q-1-b", first.Next);

        var second = await client.QueryDescriptorsAsync(version, new DescriptorQuery(Prefix: "node:q-1-", After: first.Next, Limit: 2));
        Assert.Equal(["node:q-1-c"], second.Descriptors.Select(d => d.Id));
        Assert.Null(second.Next);

        var regions = await client.QueryDescriptorsAsync(version, new DescriptorQuery(Kind: DescriptorKind.Region, Prefix: "region:q-"));
        Assert.Equal(["region:q-1"], regions.Descriptors.Select(d => d.Id));
        var inRegion = await client.QueryDescriptorsAsync(version, new DescriptorQuery(Region: "region:q-1"));
        Assert.Equal(3, inRegion.Matched);
        Assert.All(inRegion.Descriptors, d => Assert.Equal("region:q-1", d.Region));
    }

    [Fact]
    public async Task Query_PastHead_IsNotFound_AndABadFilter_IsMalformed()
    {
        var client = fx.Client();
        var head = await client.GetHeadAsync();
        var missing = await Assert.ThrowsAsync<RegistryClientException>(() => client.QueryDescriptorsAsync(head.Version + 100, new DescriptorQuery()));
        Assert.Equal("NotFound", missing.Code);
        var malformed = await Assert.ThrowsAsync<RegistryClientException>(() => client.QueryDescriptorsAsync(head.Version, new DescriptorQuery(Prefix: "UPPER")));
        Assert.Equal("Malformed", malformed.Code);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.QueryDescriptorsAsync(head.Version, new DescriptorQuery(Limit: 0)));
    }
}
