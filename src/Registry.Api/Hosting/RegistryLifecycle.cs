using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Api.Bus;
using Registry.Api.Config;
using Registry.Configuration;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;

namespace Registry.Api.Hosting;

/// <summary>
/// The service's start and stop around the web server, in the host's lifecycle order.
/// <list type="bullet">
/// <item>Started (both listeners bound; <c>/readyz</c> reports progress, API reads answer 503 <c>NotReady</c>):
/// recover storage (failure: <see cref="StorageRecoveryException"/>, exit 4), publish HEAD, open the bus, log
/// <c>ready=1</c>, then the host's <c>ApplicationStarted</c> makes the systemd lifetime send <c>READY=1</c>.
/// In the background: the history window and anchors are rebuilt behind HEAD.</item>
/// <item>Stopping (SIGTERM/SIGINT): not ready any more, bus <c>kernel.shutdown</c>, streams closed (their token is
/// the host's <c>ApplicationStopping</c>); the systemd lifetime sends <c>STOPPING=1</c>. Then the web server drains,
/// the writer answers what is queued (<see cref="WriterService"/>), and this stops last: the history rebuild, the
/// bus socket, the storage (log flushed, last checkpoint), and logs <c>shutdown_complete=1</c>.</item>
/// </list>
/// </summary>
internal sealed partial class RegistryLifecycle(
    LoadedConfiguration config,
    Components parts,
    RegistryMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : IHostedLifecycleService
{
    private readonly ILogger _logger = loggers.CreateLogger("svc-registry");
    private BusSocketServer? _busServer;
    private Task _warmUp = Task.CompletedTask;
    private bool _ready;

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(OnStopping);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        parts.Readiness.AdminBound();
        parts.Readiness.ApiBound();
        try
        {
            if (!await RecoverAsync())
            {
                return;
            }
        }
        catch (Transparency.LogKeyMismatchException ex)
        {
            LogLogKeyMismatch(_logger, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRecoveryFailed(_logger, parts.Storage.Description, ex.Message, ex);
            throw new StorageRecoveryException(ex.Message, ex);
        }

        _busServer = StartBus();
        parts.Bus.PublishHealth("health.ready");
        var head = parts.View.Current.State;
        LogReady(_logger, head.Version, head.HeadHash.ToString(), parts.Storage.Description);
        _ready = true;
        _warmUp = WarmUpHistoryAsync(head.Version, lifetime.ApplicationStopping);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // The history rebuild saw the stop token with the streams; it stops at its next commit record. It never throws,
        // and if it is slow to notice, the storage is closed under it anyway (it then logs and ends).
        await Task.WhenAny(_warmUp, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        if (_busServer is not null)
        {
            await _busServer.DisposeAsync();
        }

        await parts.Storage.DisposeAsync();
        if (_ready)
        {
            LogShutdownComplete(_logger);
        }
    }

    private void OnStopping()
    {
        LogStopping(_logger);
        parts.Readiness.Stopping();
        parts.Bus.PublishShutdown();
    }

    /// <summary>Opens the storage (and bootstraps an empty replica from a checkpoint) and publishes HEAD; false: not ready (a refused checkpoint, or stopping).</summary>
    private async Task<bool> RecoverAsync()
    {
        var genesis = TrustSetup.LoadGenesis(config);
        var state = await parts.Storage.OpenAsync(genesis, CancellationToken.None);
        parts.Readiness.StorageOpened();
        if (parts.Role.Replica is { } replica && config.Options.Replica.Bootstrap == ReplicaOptions.FromCheckpoint && parts.Ha is null && parts.Local.IsEmpty)
        {
            var bootstrap = new Replication.CheckpointBootstrapper(replica, parts.Local, TimeSpan.FromSeconds(config.Options.Replica.ReconnectMaxSeconds), TimeProvider.System, loggers.CreateLogger("svc-registry.replica"));
            try
            {
                state = await bootstrap.RunAsync(genesis, lifetime.ApplicationStopping) ?? state;
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return false;
            }
            catch (Core.Machine.CheckpointBootstrapException refused)
            {
                // Nothing was stored: the replica stays empty and not ready, and says why (/readyz, metrics, this line).
                replica.Halt(refused.Version, refused.Message);
                LogBootstrapRefused(_logger, refused.Version, refused.Message, replica.Upstream.ToString());

                // Held here until SIGTERM, so that the host never reports the node started (systemd READY=1) and the
                // services after this one (the follower, role.json) do not start on a registry that has no state.
                try
                {
                    await Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
                }
                catch (OperationCanceledException)
                {
                    // Stopping.
                }

                return false;
            }
        }

        metrics.Recovery(parts.Storage.RecoveryKind);
        if (parts.Local is { Recovery: { } report })
        {
            LogRecovered(_logger, report.ToString());
        }

        // Before anything is published or signed: the log key the chain puts in force must be one this service holds.
        parts.Transparency.RequireKeyInForce(state);
        parts.History.SetGenesis(Core.State.RegistryState.FromGenesis(genesis));
        parts.History.Add(state);
        parts.Feed.Reset(state.Version);
        parts.View.Publish(state);
        metrics.SetPending(state.Pending.Count);
        parts.Readiness.RecoveryDone();
        return true;
    }

    private BusSocketServer? StartBus()
    {
        var path = config.Options.Listen.BusSock;
        if (path.Length == 0)
        {
            return null;
        }

        var server = new BusSocketServer(path, parts.Bus, loggers.CreateLogger("svc-registry.bus"));
        server.Start();
        return server;
    }

    /// <summary>Rebuilds the in-memory history window and anchors behind the recovered HEAD, in the background.</summary>
    /// <remarks>Never throws: a failure only means old versions are rebuilt per request, as before it ran.</remarks>
    private async Task WarmUpHistoryAsync(long head, CancellationToken stop)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // The storage's commit index first, at normal priority: requests for old versions and stream replays wait
            // for it, so it must not be built by a thread that only runs when the CPU is idle.
            await parts.History.IndexStorageAsync(stop);

            // Then the replay at the lowest CPU priority: on a busy or single-core machine, requests win every time.
            var replayed = await Registry.Store.IO.BackgroundWork.RunLowPriority(() => parts.History.WarmUpAsync(head, stop).GetAwaiter().GetResult());
            if (replayed > 0)
            {
                LogHistoryWarm(_logger, replayed, head, (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: the history stays partial, which only makes old reads replay more.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Includes storage disposed under it at shutdown: nothing is lost, the history was only a cache.
            LogHistoryWarmFailed(_logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "ready=1 service=svc-registry role=read-plane version={Version} hash={Hash} storage={Storage}")]
    private static partial void LogReady(ILogger logger, long version, string hash, string storage);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "recovery: {Report}")]
    private static partial void LogRecovered(ILogger logger, string report);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "stopping: draining requests, closing streams, flushing the log")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "shutdown_complete=1 service=svc-registry")]
    private static partial void LogShutdownComplete(ILogger logger);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "history: {Replayed} commits replayed behind HEAD {Head} in {Milliseconds} ms (the read window and anchors are in memory again)")]
    private static partial void LogHistoryWarm(ILogger logger, long replayed, long head, long milliseconds);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "history: rebuilding the read window after start failed (old versions are rebuilt per request instead): {Reason}")]
    private static partial void LogHistoryWarmFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 19, Level = LogLevel.Critical, Message = "svc-registry refuses to start: log key: {Reason}")]
    private static partial void LogLogKeyMismatch(ILogger logger, string reason);

    [LoggerMessage(EventId = 18, Level = LogLevel.Critical, Message = "replica: halted: refused version {Version} (checkpoint bootstrap): {Reason}. The followed node {Upstream}'s checkpoint was not stored; this replica stays empty and not ready until a restart")]
    private static partial void LogBootstrapRefused(ILogger logger, long version, string reason, string upstream);

    [LoggerMessage(EventId = 14, Level = LogLevel.Critical, Message = "svc-registry refuses to start: storage {Storage} could not be recovered: {Reason}")]
    private static partial void LogRecoveryFailed(ILogger logger, string storage, string reason, Exception exception);
}
