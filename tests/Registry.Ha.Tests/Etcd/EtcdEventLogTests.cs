using System.Text;
using Registry.Ha.Tests.Support;
using Registry.Store.Etcd;

namespace Registry.Ha.Tests.Etcd;

/// <summary>
/// Registry.Store's etcd log against a real 3-member cluster: appends are create-if-absent and fenced on the writer's
/// election revision (a writer whose lease is gone can never append, and nothing is ever overwritten), range reads come
/// back in sequence order across pages, the election gives the key to one lease at a time, and etcd's request limit
/// is refused as such.
/// </summary>
public sealed class EtcdEventLogTests(EtcdTestCluster etcd) : IClassFixture<EtcdTestCluster>, IDisposable
{
    private readonly EtcdCluster _cluster = new(etcd.EndpointList, TimeSpan.FromSeconds(2));

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Append_AsElectedWriter_CommitsInOrder_AndReadsBackAcrossPages()
    {
        var log = NewLog();
        var writer = await ElectAsync(log);
        var count = EtcdEventLog.PageSize + 10;
        for (var first = 0; first < count; first += 100)
        {
            var payloads = Enumerable.Range(first, Math.Min(100, count - first)).Select(Payload).ToList();
            Assert.Equal(EtcdAppendResult.Committed, await log.AppendAsync(writer.Revision, first, payloads, CancellationToken.None));
        }

        Assert.Equal(count, await log.CountAsync(CancellationToken.None));
        var read = new List<EtcdLogEntry>();
        var more = true;
        while (more)
        {
            (var page, _, more) = await log.ReadAsync(read.Count, EtcdEventLog.PageSize, CancellationToken.None);
            read.AddRange(page);
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), read.Select(e => e.Sequence));
        Assert.All(read, e => Assert.Equal(Payload((int)e.Sequence).ToArray(), e.Payload.ToArray()));
    }

    [Fact]
    public async Task Append_AtASequenceAlreadyTaken_IsBehind_AndLeavesTheEventAsItWas()
    {
        var log = NewLog();
        var writer = await ElectAsync(log);
        Assert.Equal(EtcdAppendResult.Committed, await log.AppendAsync(writer.Revision, 0, [Payload(0), Payload(1)], CancellationToken.None));

        Assert.Equal(EtcdAppendResult.Behind, await log.AppendAsync(writer.Revision, 1, [Payload(99), Payload(100)], CancellationToken.None));

        var (entries, _, _) = await log.ReadAsync(0, 10, CancellationToken.None);
        Assert.Equal([Payload(0).ToArray(), Payload(1).ToArray()], entries.Select(e => e.Payload.ToArray()));
    }

    [Fact]
    public async Task Append_RetriedAfterItCommitted_IsCommittedOnce()
    {
        // What a retry after a lost answer sees: the compares fail, and the keys hold this call's bytes.
        var log = NewLog();
        var writer = await ElectAsync(log);
        Assert.Equal(EtcdAppendResult.Committed, await log.AppendAsync(writer.Revision, 0, [Payload(0), Payload(1)], CancellationToken.None));
        Assert.Equal(EtcdAppendResult.Committed, await log.AppendAsync(writer.Revision, 0, [Payload(0), Payload(1)], CancellationToken.None));
        Assert.Equal(2, await log.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Append_AfterTheWritersLeaseIsGone_FencingCompareFails_NothingWritten()
    {
        var log = NewLog();
        var old = await ElectAsync(log);
        Assert.Equal(EtcdAppendResult.Committed, await log.AppendAsync(old.Revision, 0, [Payload(0)], CancellationToken.None));

        // The old writer's lease ends (as when it is paused past its TTL); another node is elected.
        await log.RevokeLeaseAsync(old.Lease, CancellationToken.None);
        var next = await ElectAsync(log);
        Assert.NotEqual(old.Revision, next.Revision);

        Assert.Equal(EtcdAppendResult.NotWriter, await log.AppendAsync(old.Revision, 1, [Payload(1)], CancellationToken.None));
        Assert.Equal(1, await log.CountAsync(CancellationToken.None));
        Assert.Equal(EtcdAppendResult.Committed, await log.AppendAsync(next.Revision, 1, [Payload(2)], CancellationToken.None));
    }

    [Fact]
    public async Task Campaign_WhileAnotherLeaseHoldsTheKey_ReturnsThatWriter()
    {
        var log = NewLog();
        var first = await ElectAsync(log, "http://127.0.0.1:1");
        var (lease, _) = await log.GrantLeaseAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

        var seen = await log.CampaignAsync(lease, "http://127.0.0.1:2", CancellationToken.None);

        Assert.Equal(first, seen);
        Assert.Equal(first, await log.GetWriterAsync(CancellationToken.None));
    }

    [Fact]
    public async Task KeepAlive_OfARevokedLease_SaysExpired()
    {
        var log = NewLog();
        var (lease, ttl) = await log.GrantLeaseAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(5), ttl);
        Assert.True(await log.KeepAliveAsync(lease, CancellationToken.None) > TimeSpan.Zero);

        await log.RevokeLeaseAsync(lease, CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, await log.KeepAliveAsync(lease, CancellationToken.None));
    }

    [Fact]
    public async Task Append_OverEtcdsRequestLimit_RefusedByEtcd_AsTooLarge()
    {
        var log = NewLog();
        var writer = await ElectAsync(log);
        var huge = new byte[1_600_000];

        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => log.AppendAsync(writer.Revision, 0, [huge], CancellationToken.None));

        Assert.True(EtcdEventLog.IsTooLarge(refused), refused.Status.Detail);
        Assert.Equal(0, await log.CountAsync(CancellationToken.None));
        Assert.True(log.MaxEventBytes < 1_572_864);
    }

    private EtcdEventLog NewLog() => new(_cluster, new EtcdLogKeys($"/svcr-test-{Guid.NewGuid():N}/", "ron-test"), 1_572_864);

    private static async Task<EtcdWriter> ElectAsync(EtcdEventLog log, string url = "http://127.0.0.1:9")
    {
        var (lease, _) = await log.GrantLeaseAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var writer = await log.CampaignAsync(lease, url, CancellationToken.None);
        Assert.NotNull(writer);
        Assert.Equal(lease, writer.Lease);
        return writer;
    }

    private static ReadOnlyMemory<byte> Payload(int i) => Encoding.UTF8.GetBytes($"{{\"event\":{i}}}");
}
