using System.Diagnostics;
using System.Net;
using Registry.LoadTest.Clients;
using Registry.LoadTest.Measure;
using Registry.LoadTest.Results;
using Registry.LoadTest.Setup;

namespace Registry.LoadTest.Workloads;

/// <summary>
/// N clients, each in a closed loop: read HEAD, propose one put of its own descriptor on it, send the three
/// approvals together, then commit. Each client writes a descriptor no other client touches, so under the scoped
/// compare-and-swap (SPEC §1) every proposal commits whatever HEAD did meanwhile: a 409 (ScopeConflict,
/// SignerSetChanged) here is counted as a conflict and would be a regression. Both latencies are recorded for successful commits: the commit request alone ("commit of a
/// pre-approved proposal") and propose → approvals → commit ("full flow").
/// </summary>
public static class RegistryCasLoop
{
    /// <summary>
    /// Proposal lifetime: short, so proposals that lost the race are dropped at the next commits instead of piling
    /// up. 50 clients propose about 2,000 times a second; with 5 s the open set reached the service's cap of 10,000
    /// pending proposals and proposing answered 429 Busy. A full flow takes well under 100 ms, so 2 s loses none.
    /// </summary>
    public static readonly TimeSpan ProposalTtl = TimeSpan.FromSeconds(2);

    /// <summary>Runs the loop for <paramref name="duration"/>; returns (commit request, full flow) repetitions.</summary>
    public static async Task<(Repetition Commit, Repetition Flow)> RunAsync(RegistryClient client, int clients, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(client);
        var counters = new CasCounters();
        var commit = new LatencyRecorder();
        var flow = new LatencyRecorder();
        var elapsed = await ClosedLoop.RunAsync(clients, duration, (c, deadline) => ClientAsync(client, c, deadline, counters, commit, flow));
        var extra = ClosedLoop.Extra(clients, counters, elapsed);
        return (ClosedLoop.Repetition(commit, counters, elapsed, extra), ClosedLoop.Repetition(flow, counters, elapsed, extra));
    }

    private static async Task ClientAsync(RegistryClient client, int c, long deadline, CasCounters counters, LatencyRecorder commitLatency, LatencyRecorder flowLatency)
    {
        var id = $"node:perf-writer-{c:000}";
        long generation = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            counters.Attempt();
            try
            {
                var head = await client.HeadAsync();
                var flowStart = Stopwatch.GetTimestamp();
                var (proposed, proposalId) = await client.ProposeAsync(head, [Payload.PutChange(Payload.Node(id, c, ++generation))], ProposalTtl);
                if (!Count(proposed, HttpStatusCode.Accepted, counters))
                {
                    continue;
                }

                if (!Count(await client.ApproveQuorumAsync(proposalId!), HttpStatusCode.OK, counters))
                {
                    continue;
                }

                var commitStart = Stopwatch.GetTimestamp();
                counters.CommitRequest();
                var (committed, _) = await client.CommitAsync(proposalId!);
                var end = Stopwatch.GetTimestamp();
                if (Count(committed, HttpStatusCode.Created, counters))
                {
                    counters.Success();
                    commitLatency.Record(end - commitStart);
                    flowLatency.Record(end - flowStart);
                }
            }
            catch (HttpRequestException ex)
            {
                counters.Error(ex.HttpRequestError.ToString());
            }
        }
    }

    // True when the step succeeded; otherwise counts why it did not.
    private static bool Count(HttpStatusCode status, HttpStatusCode expected, CasCounters counters)
    {
        if (status == expected)
        {
            return true;
        }

        switch (status)
        {
            case HttpStatusCode.Conflict:
                counters.Conflict();
                break;
            case HttpStatusCode.Gone:
                counters.Expiry();
                break;
            default:
                counters.Error(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
        }

        return false;
    }
}
