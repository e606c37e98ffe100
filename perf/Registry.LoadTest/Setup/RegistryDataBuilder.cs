using System.Collections.Immutable;
using System.Diagnostics;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Store;

namespace Registry.LoadTest.Setup;

/// <summary>
/// Writes the large data set into a fresh svc-registry data directory offline, through Registry.Store's own
/// library: every commit is decided by Registry.Core's <see cref="RegistryMachine"/> exactly as the service's
/// writer does (ProposalAccepted, three ApprovalAccepted signed with the run's keys, Committed), thousands of
/// events per durable append, and a checkpoint at the end as a running service would have. Generating 100,000
/// commits over HTTP would take most of the time budget; what the workloads measure is unchanged by it.
/// </summary>
public static class RegistryDataBuilder
{
    private const int EventsPerAppend = 5_000;

    /// <summary>Builds the directory; returns the HEAD version and how long it took.</summary>
    public static async Task<(long Version, TimeSpan Elapsed)> BuildAsync(string dataDirectory, TrustMaterial trust, LargeDataSet data)
    {
        ArgumentNullException.ThrowIfNull(trust);
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        var options = new RegistryStoreOptions { DataDirectory = dataDirectory, CheckpointEveryCommits = 10_000, CheckpointInterval = TimeSpan.FromHours(1) };
        await using var store = await RegistryStore.OpenAsync(options, trust.Genesis);
        var state = store.Recovered;
        var keys = Enumerable.Range(1, TrustMaterial.Threshold).Select(trust.PublicKey).ToArray();
        var now = Timestamp.From(DateTimeOffset.UtcNow);
        var expires = now.Add(TimeSpan.FromDays(1));
        var batch = new List<RegistryEvent>(EventsPerAppend + 8);
        for (long version = 1; version <= data.Commits; version++)
        {
            var changes = data.Changes(version).Select(d => (Change)new PutChange(d)).ToImmutableArray();
            var proposal = new Proposal(TrustMaterial.RegistryId, state.Version, state.HeadHash, state.SignerSet.Version, null, changes, expires, "perf large data set");
            state = Accept(state, RegistryMachine.DecidePropose(state, proposal, now), batch);
            for (var n = 1; n <= TrustMaterial.Threshold; n++)
            {
                state = Accept(state, RegistryMachine.DecideApprove(state, proposal.Id, trust.Approve(n, proposal.Id), now, keys[n - 1]), batch);
            }

            state = Accept(state, RegistryMachine.DecideCommit(state, proposal.Id, now), batch);
            if (batch.Count >= EventsPerAppend || version == data.Commits)
            {
                await store.AppendAsync(batch);
                store.OnPublished(state);
                batch.Clear();
            }
        }

        await store.CheckpointNowAsync();
        return (state.Version, clock.Elapsed);
    }

    private static RegistryState Accept<TEvent>(RegistryState state, Decision<TEvent> decision, List<RegistryEvent> batch)
        where TEvent : RegistryEvent
    {
        if (decision.Kind != DecisionKind.Accepted)
        {
            throw new InvalidOperationException($"building the large data set: {decision.Kind} {decision.Rejection?.Code} {decision.Rejection?.Detail}");
        }

        batch.Add(decision.Event!);
        return state.Apply(decision.Event!);
    }
}
