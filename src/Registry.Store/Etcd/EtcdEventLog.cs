// The registry's event log in etcd (SPEC §9, docs/HA.md). Appends are one transaction per call:
//   compare  create_revision(<writer>) == the caller's election revision     (fencing: still the elected writer)
//            create_revision(<log>/<seq>) == 0 for every event of the call   (create-if-absent: nothing overwritten)
//   success  put <log>/<seq> = canonical event bytes, for every event
//   failure  range <writer>, range <log>/<first seq>..<last seq>               (which compare failed, and whether the
//                                                                              events are already ours)
// so an event key, once created, never changes, and a writer whose lease expired (its key deleted, or re-created by
// another node under a new revision) can never append again. etcd is trusted for order and durability; every reader
// verifies every event itself.
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace Registry.Store.Etcd;

/// <summary>Fenced, create-if-absent appends to one registry's log in etcd, paged reads, watches and the writer election.</summary>
/// <remarks>Thread-safe; stateless over <see cref="EtcdCluster"/> (the caller keeps its position and its election).</remarks>
public sealed partial class EtcdEventLog
{
    /// <summary>Events per range read.</summary>
    public const int PageSize = 256;

    private readonly EtcdCluster _cluster;

    /// <summary>Creates the log over <paramref name="cluster"/> with <paramref name="keys"/>.</summary>
    public EtcdEventLog(EtcdCluster cluster, EtcdLogKeys keys, int maxRequestBytes)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(keys);
        _cluster = cluster;
        Keys = keys;
        MaxRequestBytes = maxRequestBytes;
    }

    /// <summary>The keys.</summary>
    public EtcdLogKeys Keys { get; }

    /// <summary>etcd's request limit on the cluster (<c>--max-request-bytes</c>).</summary>
    public int MaxRequestBytes { get; }

    /// <summary>The largest single event payload an append can carry within <see cref="MaxRequestBytes"/>.</summary>
    public int MaxEventBytes => MaxRequestBytes - Keys.OverheadPerEvent - 256;

    /// <summary>
    /// Appends <paramref name="payloads"/> as events <paramref name="firstSequence"/>.. in one transaction, fenced on
    /// the caller's election revision. Returns only once etcd has answered definitively: a call that timed out is
    /// retried (the compares make a retry of a committed call fail harmlessly, and the failure branch tells that the
    /// first event is ours), so <see cref="EtcdAppendResult.Committed"/> means durable on a quorum.
    /// </summary>
    /// <exception cref="EtcdUnavailableException">No member answered; whether the call committed is not known.</exception>
    public async Task<EtcdAppendResult> AppendAsync(long writerRevision, long firstSequence, IReadOnlyList<ReadOnlyMemory<byte>> payloads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentOutOfRangeException.ThrowIfZero(payloads.Count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(writerRevision, 0);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = Keys.Writer, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = writerRevision });
        for (var i = 0; i < payloads.Count; i++)
        {
            var key = Keys.Event(firstSequence + i);
            txn.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFrom(payloads[i].Span) } });
        }

        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Keys.Writer } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = Keys.Event(firstSequence), RangeEnd = Keys.Event(firstSequence + payloads.Count) } });
        var response = await _cluster.CallAsync((invoker, options) => new KV.KVClient(invoker).TxnAsync(txn, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
        if (response.Succeeded)
        {
            return EtcdAppendResult.Committed;
        }

        // A retry (inside CallAsync, after a member timed out) of a call that had committed finds its own events.
        var existing = response.Responses[1].ResponseRange.Kvs;
        if (existing.Count == payloads.Count && existing.Select((kv, i) => kv.Value.Span.SequenceEqual(payloads[i].Span)).All(same => same))
        {
            return EtcdAppendResult.Committed;
        }

        var writer = response.Responses[0].ResponseRange.Kvs;
        return writer.Count == 0 || writer[0].CreateRevision != writerRevision ? EtcdAppendResult.NotWriter : EtcdAppendResult.Behind;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> events from <paramref name="fromSequence"/> on, in order, as of one revision
    /// (returned too, to watch from the next one). A linearizable read: it sees every committed append.
    /// </summary>
    /// <exception cref="EtcdUnavailableException">No member answered.</exception>
    public async Task<(IReadOnlyList<EtcdLogEntry> Entries, long Revision, bool More)> ReadAsync(long fromSequence, int limit, CancellationToken cancellationToken)
    {
        var request = new RangeRequest { Key = Keys.Event(fromSequence), RangeEnd = Keys.LogEnd, Limit = limit };
        var response = await _cluster.CallAsync((invoker, options) => new KV.KVClient(invoker).RangeAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
        var entries = new List<EtcdLogEntry>(response.Kvs.Count);
        foreach (var kv in response.Kvs)
        {
            var sequence = Keys.SequenceOf(kv.Key) ?? throw new CorruptStoreException(kv.Key.ToStringUtf8(), 0, "a key under the etcd log prefix is not an event key");
            entries.Add(new EtcdLogEntry(sequence, kv.Value.Memory, kv.CreateRevision));
        }

        return (entries, response.Header.Revision, response.More);
    }

    /// <summary>The number of events in the log (one past the last sequence), or 0 when empty.</summary>
    /// <exception cref="EtcdUnavailableException">No member answered.</exception>
    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        var request = new RangeRequest
        {
            Key = ByteString.CopyFromUtf8(Keys.LogPrefix),
            RangeEnd = Keys.LogEnd,
            Limit = 1,
            SortOrder = RangeRequest.Types.SortOrder.Descend,
            SortTarget = RangeRequest.Types.SortTarget.Key,
            KeysOnly = true,
        };
        var response = await _cluster.CallAsync((invoker, options) => new KV.KVClient(invoker).RangeAsync(request, options).ResponseAsync, cancellationToken).ConfigureAwait(false);
        return response.Kvs.Count == 0 ? 0 : (Keys.SequenceOf(response.Kvs[0].Key) ?? -1) + 1;
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is etcd refusing a request as too large: over <c>--max-request-bytes</c>
    /// ("request is too large"), or over its gRPC message limit (that plus 512 KiB: "larger than max").
    /// </summary>
    public static bool IsTooLarge(RpcException exception) =>
        exception?.StatusCode is StatusCode.InvalidArgument or StatusCode.ResourceExhausted
        && (exception.Status.Detail.Contains("too large", StringComparison.OrdinalIgnoreCase) || exception.Status.Detail.Contains("larger than max", StringComparison.OrdinalIgnoreCase));
}
