using System.Diagnostics;
using Registry.LoadTest.Clients;

namespace Registry.LoadTest.Setup;

/// <summary>
/// Loads the large data set into etcd through the gateway: the region txn, then the node puts with 128 in
/// flight (etcd batches concurrent writes into shared fsyncs), one round of distinct keys at a time so a key's
/// updates stay in order.
/// </summary>
public static class EtcdLoader
{
    /// <summary>Puts in flight while loading.</summary>
    public const int InFlight = 128;

    /// <summary>Loads everything; returns the final revision and how long it took.</summary>
    public static async Task<(long Revision, TimeSpan Elapsed)> LoadAsync(EtcdClient client, LargeDataSet data)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        await client.PutAllAsync(data.Changes(1).Select(d => (Payload.Key(d.Id), d.CanonicalBytes.ToArray())));
        for (long from = 2; from <= data.Commits; from += data.Nodes)
        {
            var to = Math.Min(data.Commits, from + data.Nodes - 1);
            using var gate = new SemaphoreSlim(InFlight);
            var puts = new List<Task>();
            for (var version = from; version <= to; version++)
            {
                await gate.WaitAsync();
                var descriptor = data.Changes(version)[0];
                puts.Add(PutAsync(Payload.Key(descriptor.Id), descriptor.CanonicalBytes.ToArray()));
            }

            await Task.WhenAll(puts);

            async Task PutAsync(byte[] key, byte[] value)
            {
                try
                {
                    await client.PutAsync(key, value);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        var (_, revision) = await client.GetAsync(Payload.Key(LargeDataSet.NodeId(0)));
        return (revision, clock.Elapsed);
    }
}
