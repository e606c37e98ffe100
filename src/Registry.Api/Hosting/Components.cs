using Microsoft.Extensions.Logging;
using Registry.Api.Auth;
using Registry.Api.Bus;
using Registry.Api.Config;
using Registry.Configuration;
using Registry.Api.HighAvailability;
using Registry.Api.Http;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Registry.Api.Transparency;
using Registry.Api.WritePlane;
using Registry.Api.Witness;

namespace Registry.Api.Hosting;

/// <summary>The long-lived parts of the service, created once from the configuration and registered as singletons.</summary>
internal sealed record Components(
    IRegistryStorage Storage,
    RegistryStoreStorage Local,
    EtcdStorage? Ha,
    RegistryView View,
    VersionHistory History,
    SnapshotCache Snapshots,
    CommitFeed Feed,
    RegistryBus Bus,
    WritePlane.WritePlane Writer,
    WriteGate Gate,
    Readiness Readiness,
    Limits Limits,
    CapabilityAuthenticator Authenticator,
    ProposalDefaultsSource Defaults,
    ProposalLimits ProposalLimits,
    TransparencyLog Transparency,
    Replication.ReplicaRole Role,
    WitnessNode? Witness,
    IReadOnlyList<WitnessClient> Witnesses)
{
    /// <summary>Creates the parts (nothing is opened or started) and points the metrics' observers at them.</summary>
    /// <exception cref="ConfigurationException">The trust roots, the log key or the capabilities file do not load.</exception>
    /// <param name="config">The configuration.</param>
    /// <param name="metrics">The service's metrics.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggers">The loggers.</param>
    /// <param name="demoted">The node starts as a demoted primary (<c>role.json</c>, <see cref="Replication.NodeRoleDecision"/>).</param>
    public static Components Create(LoadedConfiguration config, RegistryMetrics metrics, TimeProvider time, ILoggerFactory loggers, bool demoted = false)
    {
        var options = config.Options;
        var local = new RegistryStoreStorage(options.Service.Amnesia, config.DataDir, options.Storage, time);
        var ha = options.Storage.Backend == StorageOptions.EtcdBackend ? EtcdSetup.CreateStorage(config, local, time) : null;
        IRegistryStorage storage = ha is null ? local : ha;
        // The transparency log's tree advances with every published state, before readers see it.
        var tlogLogger = loggers.CreateLogger("svc-registry.tlog");
        var transparency = new TransparencyLog(
            options.Service.RegistryId, LogKeySetup.Load(config, tlogLogger), time, witnessed: options.Tlog.Witnesses.Trim().Length > 0, next: LogKeySetup.LoadNext(config, tlogLogger));
        var witnesses = WitnessSetup.LoadWitnesses(options.Tlog, WitnessHttp(), tlogLogger);
        var witness = WitnessSetup.LoadNode(config, time, loggers.CreateLogger("svc-registry.witness"));
        var view = new RegistryView(transparency.Advance);
        var history = new VersionHistory(storage, options.Storage.HistoryWindow, options.Storage.HistoryAnchorInterval);
        var feed = new CommitFeed(metrics);
        var bus = new RegistryBus(metrics, time);
        var proposalLimits = new ProposalLimits(options.Limits);
        var writer = new WritePlane.WritePlane(options.Limits.WriteQueue, storage, view, history, feed, bus, metrics, time, loggers.CreateLogger("svc-registry.writer"), proposalLimits);
        // A replica's status is attached by AddRegistryReplica; until then (and on a primary) the role is a primary's.
        var role = new Replication.ReplicaRole(null, demoted, ha);
        // Storage writability is the local store's (on an HA node, its verified copy); the HA status adds the election.
        var readiness = new Readiness(options.Service.ReadOnly, () => local.Writable, role, writePlaneHalted: () => writer.HaltReason is not null, ha: ha?.Status);
        var limits = new Limits(options.Limits.MaxInflight, options.Limits.RequestTimeoutSeconds, options.Limits.MaxBodyBytes);
        var authenticator = new CapabilityAuthenticator(TrustSetup.LoadKeyring(config), time, metrics);
        var defaults = new ProposalDefaultsSource(options.Service.RegistryId, TimeSpan.FromSeconds(options.Limits.ProposalTtlSeconds), time, () => view.Current.State.SignerSet.Version);
        metrics.Observe(
            () => view.HasState ? view.Current.State.Version : 0,
            () => storage.CheckpointAgeSeconds,
            () => feed.SubscriberCount);
        metrics.ObserveReadiness(
            () => readiness.Ready,
            () => readiness.WriteReady,
            () => local.AppendLatency.TotalSeconds);
        metrics.ObserveCheckpointFailures(() => storage.CheckpointFailures);
        DevMaterial.Announce(config, loggers.CreateLogger("svc-registry"));
        return new Components(storage, local, ha, view, history, new SnapshotCache(), feed, bus, writer, new WriteGate(writer, readiness, limits, metrics), readiness, limits, authenticator, defaults, proposalLimits, transparency, role, witness, witnesses);
    }

    // One connection pool for every witness; each call has its own deadline (tlog.witness_timeout_ms).
    private static HttpClient WitnessHttp() => new(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
