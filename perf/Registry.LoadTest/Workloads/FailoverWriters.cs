using System.Diagnostics;
using System.Net;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// One pre-signed writer per HA node, each in a closed loop on its own descriptor, for the fail-over measurement:
/// a node that is not the writer answers 421 and a killed one refuses the connection, so a writer whose attempt
/// failed tries again after 10 ms (the measurement's resolution) and only the writer's node acknowledges. Keeps
/// the timestamp of the last acknowledged commit, so the harness can time a kill to the next acknowledgement.
/// </summary>
public sealed class FailoverWriters(IReadOnlyList<Func<RegistryClient?>> nodes)
{
    private static readonly TimeSpan s_retry = TimeSpan.FromMilliseconds(10);
    private long _lastAck;
    private long _acknowledged;

    /// <summary>Commits acknowledged so far.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Stopwatch timestamp of the latest acknowledgement (0 before the first).</summary>
    public long LastAck => Interlocked.Read(ref _lastAck);

    /// <summary>Runs every writer until <paramref name="stop"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(nodes.Select((node, i) => Task.Run(() => WriterAsync(node, $"node:perf-ha-{i:000}", i, stop), CancellationToken.None)));

    private async Task WriterAsync(Func<RegistryClient?> node, string id, int n, CancellationToken stop)
    {
        RegistryHead? head = null;
        long generation = 0;
        while (!stop.IsCancellationRequested)
        {
            var client = node();
            var ok = false;
            try
            {
                if (client is not null)
                {
                    head ??= await client.HeadAsync(stop);
                    var (status, next) = await client.SubmitAsync(client.PreSigned(head.Value, Payload.Node(id, n, ++generation), TimeSpan.FromMinutes(10)), stop);
                    if (status == HttpStatusCode.Created)
                    {
                        Interlocked.Exchange(ref _lastAck, Stopwatch.GetTimestamp());
                        Interlocked.Increment(ref _acknowledged);
                        head = next;
                        ok = true;
                    }
                    else if (status == HttpStatusCode.Conflict)
                    {
                        // A commit of ours that etcd took while its writer died was never answered: start from HEAD.
                        head = null;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // The node is down (killed, restarting): the next attempt finds it, or another node, again.
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (TaskCanceledException)
            {
                // The client's own timeout: counts as a failed attempt like any other.
            }

            if (!ok)
            {
                try
                {
                    await Task.Delay(s_retry, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
