using System.Runtime.CompilerServices;
using Etcdserverpb;
using Grpc.Core;
using Mvccpb;

namespace Registry.Store.Etcd;

public sealed partial class EtcdEventLog
{
    /// <summary>
    /// Watches every key of the registry from <paramref name="fromRevision"/> on, on one member, until cancelled or the
    /// stream breaks (then it throws; the caller re-reads with <see cref="ReadAsync"/> and watches again, so a watch is
    /// never trusted to be complete: gaps in sequences are filled by range reads). Progress notifications keep the
    /// reached revision moving while nothing is written.
    /// </summary>
    /// <exception cref="EtcdUnavailableException">The watch could not be created or broke.</exception>
    public async IAsyncEnumerable<EtcdWatchBatch> WatchAsync(long fromRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (invoker, endpoint) = _cluster.StreamInvoker();
        using var call = new Watch.WatchClient(invoker).Watch(new CallOptions(cancellationToken: cancellationToken));
        var writerKey = Keys.Writer;
        try
        {
            await call.RequestStream.WriteAsync(new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = Keys.All, RangeEnd = Keys.AllEnd, StartRevision = fromRevision, ProgressNotify = true },
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
        {
            _cluster.Rotate();
            throw new EtcdUnavailableException($"etcd watch on {endpoint} failed: {ex.Message}", ex);
        }

        while (true)
        {
            WatchResponse response;
            try
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                response = call.ResponseStream.Current;
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                _cluster.Rotate();
                throw new EtcdUnavailableException($"etcd watch on {endpoint} broke: {ex.Message}", ex);
            }

            if (response.Canceled || response.CompactRevision > 0)
            {
                throw new EtcdUnavailableException($"etcd cancelled the watch on {endpoint} ({response.CancelReason}; compacted to {response.CompactRevision})");
            }

            var events = new List<EtcdLogEntry>(response.Events.Count);
            var writerChanged = false;
            EtcdWriter? writer = null;
            foreach (var change in response.Events)
            {
                if (change.Kv.Key == writerKey)
                {
                    writerChanged = true;
                    writer = change.Type == Event.Types.EventType.Put ? new EtcdWriter(change.Kv.Value.ToStringUtf8(), change.Kv.CreateRevision, change.Kv.Lease) : null;
                }
                else if (change.Type == Event.Types.EventType.Put && Keys.SequenceOf(change.Kv.Key) is { } sequence)
                {
                    events.Add(new EtcdLogEntry(sequence, change.Kv.Value.Memory, change.Kv.CreateRevision));
                }
            }

            yield return new EtcdWatchBatch(events, writerChanged, writer, response.Header.Revision);
        }

        _cluster.Rotate();
        throw new EtcdUnavailableException($"etcd closed the watch on {endpoint}");
    }
}
