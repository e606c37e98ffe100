// The writer election: a lease of TTL seconds, and the writer key created under it only when absent (a txn on
// create_revision == 0). The key's create_revision is the writer's fencing token: it is compared by every append, and
// no later holder of the key can have the same one. The lease ends when its holder stops renewing it (crash, pause,
// partition), etcd then deletes the key, and another node's campaign succeeds.
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Registry.Store.Etcd;

public sealed partial class EtcdEventLog
{
    /// <summary>Grants a lease of <paramref name="ttl"/>; returns its id and the TTL etcd gave.</summary>
    /// <exception cref="EtcdUnavailableException">No member answered.</exception>
    public async Task<(long Lease, TimeSpan Ttl)> GrantLeaseAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        var response = await _cluster.CallAsync(
            (invoker, options) => new Lease.LeaseClient(invoker).LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)ttl.TotalSeconds }, options).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Error.Length > 0
            ? throw new EtcdUnavailableException("etcd refused a lease: " + response.Error)
            : (response.ID, TimeSpan.FromSeconds(response.TTL));
    }

    /// <summary>
    /// Renews <paramref name="lease"/> once; returns the TTL left from now, or <see cref="TimeSpan.Zero"/> when the lease
    /// has expired (its keys are gone).
    /// </summary>
    /// <exception cref="EtcdUnavailableException">No member answered.</exception>
    public Task<TimeSpan> KeepAliveAsync(long lease, CancellationToken cancellationToken) =>
        _cluster.CallAsync(
            async (invoker, options) =>
            {
                using var call = new Lease.LeaseClient(invoker).LeaseKeepAlive(options);
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }).ConfigureAwait(false);
                await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                return await call.ResponseStream.MoveNext(options.CancellationToken).ConfigureAwait(false) && call.ResponseStream.Current.TTL > 0
                    ? TimeSpan.FromSeconds(call.ResponseStream.Current.TTL)
                    : TimeSpan.Zero;
            },
            cancellationToken);

    /// <summary>Revokes <paramref name="lease"/> (the writer steps down at shutdown: its key goes at once).</summary>
    /// <exception cref="EtcdUnavailableException">No member answered.</exception>
    public Task RevokeLeaseAsync(long lease, CancellationToken cancellationToken) =>
        _cluster.CallAsync((invoker, options) => new Lease.LeaseClient(invoker).LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, options).ResponseAsync, cancellationToken);

    /// <summary>
    /// Creates the writer key with <paramref name="url"/> under <paramref name="lease"/> when no writer holds it. Returns
    /// the writer: this node (its fencing revision) or the current one.
    /// </summary>
    /// <exception cref="EtcdUnavailableException">No member answered.</exception>
    public async Task<EtcdWriter?> CampaignAsync(long lease, string url, CancellationToken cancellationToken)
    {
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = Keys.Writer, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = Keys.Writer, Value = ByteString.CopyFromUtf8(url), Lease = lease } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Keys.Writer } });
        var response = await _cluster.CallAsync((invoker, options) => new KV.KVClient(invoker).TxnAsync(txn, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
        if (response.Succeeded)
        {
            return new EtcdWriter(url, response.Header.Revision, lease);
        }

        var kvs = response.Responses[0].ResponseRange.Kvs;
        return kvs.Count == 0 ? null : new EtcdWriter(kvs[0].Value.ToStringUtf8(), kvs[0].CreateRevision, kvs[0].Lease);
    }

    /// <summary>The current writer, or null when none is elected.</summary>
    /// <exception cref="EtcdUnavailableException">No member answered.</exception>
    public async Task<EtcdWriter?> GetWriterAsync(CancellationToken cancellationToken)
    {
        var response = await _cluster.CallAsync(
            (invoker, options) => new KV.KVClient(invoker).RangeAsync(new RangeRequest { Key = Keys.Writer }, options).ResponseAsync,
            cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? null : new EtcdWriter(response.Kvs[0].Value.ToStringUtf8(), response.Kvs[0].CreateRevision, response.Kvs[0].Lease);
    }

    /// <summary>Whether a stream failure may heal on another member (see <see cref="EtcdCluster.IsTransient"/>).</summary>
    internal static bool IsTransient(Exception exception) =>
        exception is EtcdUnavailableException or HttpRequestException or IOException || (exception is RpcException rpc && EtcdCluster.IsTransient(rpc));
}
