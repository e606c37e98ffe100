using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Registry.Api.Auth;
using Registry.Api.Bus;
using Registry.Api.Config;
using Registry.Configuration;
using Registry.Api.Http;
using Registry.Api.Logging;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Registry.Api.WritePlane;
using Serilog.Core;
using Serilog.Extensions.Logging;

namespace Registry.Api.Hosting;

/// <summary>
/// The svc-registry process: reads configuration, recovers storage, starts the writer and both
/// listeners, reports ready, then waits for SIGTERM/SIGINT (drain and exit 0) or SIGHUP (reload).
/// Exit codes: 0 clean stop, 2 configuration error, 4 storage refused to open. (3, "libsodium missing", is retired:
/// Ed25519 comes from NSec, whose libsodium ships in the publish output, so there is no machine library to miss.)
/// </summary>
public sealed partial class ServiceProcess : IDisposable
{
    private readonly LoadedConfiguration _config;
    private readonly LoggingLevelSwitch _level;
    private readonly Serilog.ILogger _serilog;
    private readonly RequestLogging _requestLogging;
    private readonly ILogger _logger;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly RegistryMetrics _metrics = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(LoadedConfiguration config, LoggingLevelSwitch level, Serilog.ILogger serilog, ILoggerFactory loggers)
    {
        _config = config;
        _level = level;
        _serilog = serilog;
        _requestLogging = new RequestLogging(serilog, LoggingSetup.Levels(config.Options.Log).Requests);
        Loggers = loggers;
        _logger = loggers.CreateLogger("svc-registry");
    }

    private ILoggerFactory Loggers { get; }

    /// <summary>Runs the service until it is told to stop; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        LoadedConfiguration config;
        try
        {
            config = ConfigLoader.Load(args, Environment.GetEnvironmentVariable);
        }
        catch (ConfigurationException ex)
        {
            return await RefuseConfigurationAsync(ex.Message);
        }

        if (config.CheckOnly)
        {
            return await CheckConfigurationAsync(config);
        }

        if (LoggingSetup.Problem(config.Options.Log) is { } problem)
        {
            return await RefuseConfigurationAsync("invalid configuration:\n  " + problem);
        }

        var level = new LoggingLevelSwitch(LoggingSetup.Levels(config.Options.Log).Minimum);
        await using var serilog = LoggingSetup.Create(level);
        using var loggers = new SerilogLoggerFactory(serilog);
        using var process = new ServiceProcess(config, level, serilog, loggers);
        return await process.RunCoreAsync();
    }

    /// <summary>
    /// A configuration that does not load (exit 2, before logging is set up): the reasons, readable, on standard error,
    /// and the same as one JSON log line on standard output (<c>svc-registry cannot start: ...</c>, level fatal), so the
    /// journal queries of RUNBOOK.md section 5 find it like any other refused start.
    /// </summary>
    private static async Task<int> RefuseConfigurationAsync(string reason)
    {
        await Console.Error.WriteLineAsync("svc-registry: " + reason);
        await using (var serilog = LoggingSetup.Create(new LoggingLevelSwitch()))
        {
            using var loggers = new SerilogLoggerFactory(serilog);
            LogFatal(loggers.CreateLogger("svc-registry"), reason);
        }

        return 2;
    }

    /// <summary><c>--check-config</c>: loads and validates everything a start would read, binds nothing, exits 0 or 2.</summary>
    private static async Task<int> CheckConfigurationAsync(LoadedConfiguration config)
    {
        try
        {
            var genesis = TrustSetup.LoadGenesis(config);
            var keyring = TrustSetup.LoadKeyring(config);
            await Console.Out.WriteLineAsync(
                $"svc-registry: configuration OK ({config.ConfigPath ?? "dev mode, no file"}; registry {genesis.Registry}, genesis {genesis.Hash}, {keyring.Keys.Length} capability root key(s))");
            return 0;
        }
        catch (Exception ex) when (ex is ConfigurationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("svc-registry: " + ex.Message);
            return 2;
        }
    }

    private async Task<int> RunCoreAsync()
    {
        Components parts;
        try
        {
            parts = BuildComponents();
        }
        catch (ConfigurationException ex)
        {
            LogFatal(_logger, ex.Message);
            return 2;
        }

        using var signals = RegisterSignals(parts);
        var admin = BuildAdminHost(parts);
        await admin.StartAsync();
        parts.Readiness.AdminBound();

        try
        {
            await RecoverAsync(parts);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRecoveryFailed(_logger, parts.Storage.Description, ex.Message, ex);
            await admin.StopAsync();
            return 4;
        }

        parts.Writer.Start();
        var api = BuildApiHost(parts);
        await api.StartAsync();
        parts.Readiness.ApiBound();
        await using var busServer = StartBus(parts);
        parts.Bus.PublishHealth("health.ready");
        var head = parts.View.Current.State;
        LogReady(_logger, head.Version, head.HeadHash.ToString(), parts.Storage.Description);
        SystemdNotifier.Notify("READY=1");
        var warmUp = WarmUpHistoryAsync(parts, head.Version, _stopping.Token);

        await _stopRequested.Task;
        await ShutdownAsync(parts, api, admin, warmUp);
        return 0;
    }

    /// <summary>Rebuilds the in-memory history window and anchors behind the recovered HEAD, in the background.</summary>
    /// <remarks>Never throws: a failure only means old versions are rebuilt per request, as before it ran.</remarks>
    private async Task WarmUpHistoryAsync(Components parts, long head, CancellationToken stop)
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

    private async Task RecoverAsync(Components parts)
    {
        var genesis = TrustSetup.LoadGenesis(_config);
        var state = await parts.Storage.OpenAsync(genesis, CancellationToken.None);
        parts.Readiness.StorageOpened();
        _metrics.Recovery(parts.Storage.RecoveryKind);
        if (parts.Storage is RegistryStoreStorage { Recovery: { } report })
        {
            LogRecovered(_logger, report.ToString());
        }

        parts.History.SetGenesis(Core.State.RegistryState.FromGenesis(genesis));
        parts.History.Add(state);
        parts.Feed.Reset(state.Version);
        parts.View.Publish(state);
        _metrics.SetPending(state.Pending.Count);
        parts.Readiness.RecoveryDone();
    }

    private BusSocketServer? StartBus(Components parts)
    {
        var path = _config.Options.Listen.BusSock;
        if (path.Length == 0)
        {
            return null;
        }

        var server = new BusSocketServer(path, parts.Bus, Loggers.CreateLogger("svc-registry.bus"));
        server.Start();
        return server;
    }

    private async Task ShutdownAsync(Components parts, Microsoft.AspNetCore.Builder.WebApplication api, Microsoft.AspNetCore.Builder.WebApplication admin, Task warmUp)
    {
        LogStopping(_logger);
        SystemdNotifier.Notify("STOPPING=1");
        parts.Readiness.Stopping();
        parts.Bus.PublishShutdown();
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_config.Options.Service.StopTimeoutSeconds));
        await api.StopAsync(timeout.Token);
        await parts.Writer.StopAsync();

        // The history rebuild saw the stop token with the streams; it stops at its next commit record. It never throws,
        // and if it is slow to notice, the storage is closed under it anyway (it then logs and ends).
        await Task.WhenAny(warmUp, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        await parts.Storage.DisposeAsync();
        await admin.StopAsync(timeout.Token);
        await api.DisposeAsync();
        await admin.DisposeAsync();
        LogShutdownComplete(_logger);
    }

    private SignalRegistrations RegisterSignals(Components parts)
    {
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            _stopRequested.TrySetResult();
        }

        var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            Reload(parts);
        });
        return new SignalRegistrations(term, interrupt, hangup);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
    }

    private sealed class SignalRegistrations(params IDisposable[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
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

    [LoggerMessage(EventId = 13, Level = LogLevel.Critical, Message = "svc-registry cannot start: {Reason}")]
    private static partial void LogFatal(ILogger logger, string reason);

    [LoggerMessage(EventId = 14, Level = LogLevel.Critical, Message = "svc-registry refuses to start: storage {Storage} could not be recovered: {Reason}")]
    private static partial void LogRecoveryFailed(ILogger logger, string storage, string reason, Exception exception);
}
