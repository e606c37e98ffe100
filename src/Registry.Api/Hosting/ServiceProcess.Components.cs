using Registry.Core.Auth;
using Microsoft.Extensions.Logging;
using Registry.Api.Auth;
using Registry.Api.Bus;
using Registry.Api.Http;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Registry.Api.WritePlane;

namespace Registry.Api.Hosting;

public sealed partial class ServiceProcess
{
    private Components BuildComponents()
    {
        var options = _config.Options;
        var storage = CreateStorage();
        var view = new RegistryView();
        var history = new VersionHistory(storage, options.Storage.HistoryWindow, options.Storage.HistoryAnchorInterval);
        var feed = new CommitFeed(_metrics);
        var bus = new RegistryBus(_metrics, _time);
        var writer = new WritePlane.WritePlane(options.Limits.WriteQueue, storage, view, history, feed, bus, _metrics, _time, Loggers.CreateLogger("svc-registry.writer"));
        var readiness = new Readiness(options.Service.ReadOnly, () => storage.Writable);
        var limits = new Limits(options.Limits.MaxInflight, options.Limits.RequestTimeoutSeconds, options.Limits.MaxBodyBytes);
        var authenticator = new CapabilityAuthenticator(TrustSetup.LoadKeyring(_config), _time, _metrics);
        var defaults = new ProposalDefaultsSource(options.Service.RegistryId, TimeSpan.FromSeconds(options.Limits.ProposalTtlSeconds), _time);
        var stream = new StreamSettings(TimeSpan.FromSeconds(options.Stream.HeartbeatSeconds), options.Stream.ClientBuffer, _stopping.Token);
        _metrics.Observe(
            () => view.HasState ? view.Current.State.Version : 0,
            () => storage.CheckpointAgeSeconds,
            () => feed.SubscriberCount);
        _metrics.ObserveReadiness(
            () => readiness.Ready,
            () => readiness.WriteReady,
            () => storage is IStorageFaults faults ? faults.AppendLatency.TotalSeconds : 0);
        _metrics.ObserveCheckpointFailures(() => storage.CheckpointFailures);
        AnnounceDevMode();
        return new Components(storage, view, history, new SnapshotCache(), feed, bus, writer, new WriteGate(writer, readiness, limits, _metrics), readiness, limits, authenticator, defaults, stream);
    }

    private RegistryStoreStorage CreateStorage() =>
        new(_config.Options.Service.Amnesia, _config.DataDir, _config.Options.Storage, _time);

    private void AnnounceDevMode()
    {
        if (!_config.DevMode)
        {
            return;
        }

        if (_config.Options.Service.Amnesia)
        {
            LogDevModeMemory(_logger);
            return;
        }

        var directory = DevMaterial.Write(Path.Combine(_config.DataDir, "dev"), TrustSetup.LoadGenesis(_config));
        LogDevMode(_logger, directory);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "dev mode (no --config): 2-of-3 dev signer keys in {Directory}/dev-signer-{{1,2,3}}.key, capability token with every scope in {Directory}/dev.token, trust roots in {Directory}/trust-roots.json. These keys are public; never use dev mode for real data.")]
    private static partial void LogDevMode(ILogger logger, string directory);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "dev mode with --amnesia: nothing is written; the dev keys and token are the fixed public ones described in docs/DEV-MODE.md ('ronctl dev token', 'ronctl dev key N').")]
    private static partial void LogDevModeMemory(ILogger logger);
}
