using Prometheus;

namespace Registry.Api.Replication;

/// <summary>
/// A replica's gauges, in the service's registry, exported only while the node is a replica (a promoted node stops
/// exporting them, so that alerts that leave replicas out, such as RegistryWriteNotReady, cover it again), read just
/// before each scrape:
/// <list type="bullet">
/// <item><c>registry_replica_in_sync</c>: 1 while streaming from the followed node, caught up to the HEAD it reported.</item>
/// <item><c>registry_replica_lag_versions</c>: the followed node's HEAD as last seen minus this replica's HEAD.</item>
/// <item><c>registry_replica_lag_seconds</c>: how long this replica has been behind a version it has seen (0 when not).</item>
/// <item><c>registry_replica_upstream_head_version</c>: the followed node's HEAD version as last seen.</item>
/// <item><c>registry_replica_halted</c>: 1 once a record failed verification or forked (the replica stopped advancing).</item>
/// </list>
/// </summary>
internal static class ReplicaMetrics
{
    /// <summary>Creates the gauges and connects them to <paramref name="status"/> while <paramref name="isReplica"/> says so.</summary>
    public static void Register(CollectorRegistry registry, ReplicaStatus status, Func<bool> isReplica)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var inSync = factory.CreateGauge("registry_replica_in_sync", "1 while this replica streams from the node it follows, caught up to the HEAD that node reported.");
        var lagVersions = factory.CreateGauge("registry_replica_lag_versions", "The followed node's HEAD version as last seen minus this replica's HEAD version.");
        var lagSeconds = factory.CreateGauge("registry_replica_lag_seconds", "Seconds this replica has been behind a version the followed node announced (0 when it holds that node's HEAD).");
        var upstream = factory.CreateGauge("registry_replica_upstream_head_version", "The followed node's HEAD version as last seen.");
        var halted = factory.CreateGauge("registry_replica_halted", "1 once a record from the followed node failed verification or forked; the replica stopped advancing.");
        registry.AddBeforeCollectCallback(() =>
        {
            if (!isReplica())
            {
                foreach (var gauge in new[] { inSync, lagVersions, lagSeconds, upstream, halted })
                {
                    gauge.Unpublish();
                }

                return;
            }

            inSync.Set(status.InSync ? 1 : 0);
            lagVersions.Set(status.LagVersions);
            lagSeconds.Set(status.LagSeconds);
            upstream.Set(status.UpstreamVersion ?? 0);
            halted.Set(status.Halted ? 1 : 0);
        });
    }
}
