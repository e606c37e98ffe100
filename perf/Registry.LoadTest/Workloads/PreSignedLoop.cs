using System.Diagnostics;
using System.Net;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// N clients, each in a closed loop submitting pre-signed commits (<c>POST /registry/commits</c>: the complete
/// proposal and 3 of the 5 approvals in one request) of its own descriptor. A client bases each proposal on the
/// version its previous commit answered (the HEAD read once at the start for the first): under the scoped
/// compare-and-swap (SPEC §1) the proposal commits on whatever HEAD it meets, since only this client writes its
/// descriptor, so the client never reads HEAD and a 409 here is a regression (counted as a conflict; the client then
/// reads HEAD). Its base must be at or after its own last write, so each body is built and signed (3 Ed25519
/// signatures, on the load CPU) after the previous answer; latency = the submission request alone, successful ones.
/// </summary>
public static class PreSignedLoop
{
    private static long s_generation;

    /// <summary>Runs the loop for <paramref name="duration"/>.</summary>
    public static async Task<Repetition> RunAsync(RegistryClient client, int clients, TimeSpan duration, string idPrefix = "node:perf-presigned")
    {
        ArgumentNullException.ThrowIfNull(client);
        var head = await client.HeadAsync();
        var counters = new CasCounters();
        var latency = new LatencyRecorder();
        var elapsed = await ClosedLoop.RunAsync(clients, duration, (c, deadline) => ClientAsync(client, $"{idPrefix}-{c:000}", c, head, deadline, counters, latency));
        return ClosedLoop.Repetition(latency, counters, elapsed, ClosedLoop.Extra(clients, counters, elapsed));
    }

    private static async Task ClientAsync(RegistryClient client, string id, int c, RegistryHead head, long deadline, CasCounters counters, LatencyRecorder latency)
    {
        while (Stopwatch.GetTimestamp() < deadline)
        {
            counters.Attempt();
            try
            {
                var body = client.PreSigned(head, Payload.Node(id, c, Interlocked.Increment(ref s_generation)), TimeSpan.FromMinutes(10));
                counters.CommitRequest();
                var start = Stopwatch.GetTimestamp();
                var (status, next) = await client.SubmitAsync(body);
                var end = Stopwatch.GetTimestamp();
                switch (status)
                {
                    case HttpStatusCode.Created:
                        counters.Success();
                        latency.Record(end - start);
                        head = next!.Value;
                        break;
                    case HttpStatusCode.Conflict:
                        counters.Conflict();
                        head = await client.HeadAsync();
                        break;
                    case HttpStatusCode.Gone:
                        counters.Expiry();
                        break;
                    default:
                        counters.Error(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }
            catch (HttpRequestException ex)
            {
                counters.Error(ex.HttpRequestError.ToString());
            }
        }
    }
}
