using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Api.Endpoints;
using Registry.Api.Endpoints.Schema;
using Registry.Api.HighAvailability;
using Registry.Api.Http;
using Registry.Api.Metrics;
using Registry.Api.Replication;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Registry.Api.Ui;
using Serilog;

namespace Registry.Api.Hosting;

/// <summary>
/// The one composition root: a single <see cref="WebApplication"/> on the generic host serving the API and the admin
/// listener, each with its own pipeline and routes; the writer, recovery and signals as hosted services; sd_notify
/// through the systemd lifetime. <see cref="Build"/> reads as the list of what the service is made of.
/// </summary>
internal sealed class RegistryApplication : IAsyncDisposable
{
    private RegistryApplication(WebApplication app)
    {
        App = app;
    }

    /// <summary>The web application (not started).</summary>
    public WebApplication App { get; }

    /// <summary>Builds the service from a prepared start; nothing is bound, opened or started yet.</summary>
    /// <exception cref="Registry.Configuration.ConfigurationException">The trust roots or the capabilities file do not load.</exception>
    public static RegistryApplication Build(ServiceStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var config = start.Configuration;
        var options = config.Options;
        var metrics = new RegistryMetrics();
        // The role: replica.primary and the data directory's role.json (a restart never silently changes it).
        var roleFile = new NodeRoleFile(options.Service.Amnesia ? null : config.DataDir);
        var role = NodeRoleDecision.Resolve(config, roleFile);
        var parts = Components.Create(config, metrics, TimeProvider.System, start.Loggers, role.Demoted);

        // The host's own configuration stays empty (ours is bound before, from TOML and SVCR_ variables): no
        // appsettings.json is looked for, and above all no file watcher is set on the working directory. With the
        // default reloadConfigOnChange the host watches the content root recursively, which on a working directory
        // such as a checkout costs a second of start-up and an inotify watch per sub-directory for the process's life.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(start.Serilog);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.Service.StopTimeoutSeconds));
        builder.AddRegistrySystemd();
        builder.AddRegistryListeners(config);
        builder.Services.AddRegistryParts(start, parts, metrics);
        builder.Services.AddHostedService<RegistryLifecycle>();
        builder.Services.AddHostedService<WriterService>();
        builder.Services.AddHostedService<ConfigurationReload>();
        builder.Services.AddRegistryReplica(config, parts, roleFile, role, metrics, start.Loggers);
        builder.Services.AddRegistryHa(config, parts, start.Loggers);
        builder.Services.AddHostedService(_ => new Transparency.CheckpointRefresher(parts.Transparency, TimeSpan.FromSeconds(options.Tlog.RefreshSeconds), start.Loggers.CreateLogger("svc-registry.tlog")));
        builder.Services.AddHostedService(_ => new Transparency.CheckpointWitnessing(parts.Transparency, parts.Witnesses, parts.Feed, start.Loggers.CreateLogger("svc-registry.tlog")));
        builder.Services.AddRegistryErrors();
        builder.Services.AddRegistryInflightLimit();
        builder.Services.AddRegistryOpenApi();

        var app = builder.Build();
        app.RunListeners(
            api: pipeline =>
            {
                pipeline.UseSerilogRequestLogging(start.RequestLogging.Configure);
                pipeline.UseMiddleware<RequestTelemetryMiddleware>();
                pipeline.UseReplicaHeaders();
                pipeline.UseRegistryErrors();
                pipeline.UseRouting();
                pipeline.UseRateLimiter();
                pipeline.UseListenerEndpoints(routes =>
                {
                    routes.MapRegistryReads();
                    routes.MapCheckpoints();
                    routes.MapProposals().RefuseWritesOffTheWriter();
                    routes.MapRegistryStream();
                    routes.MapTransparency();
                    if (parts.Witness is not null)
                    {
                        routes.MapWitness();
                    }
                    routes.MapRegistryOpenApi();
                    if (options.Ui.Enabled)
                    {
                        routes.MapUi();
                    }
                });
            },
            admin: pipeline =>
            {
                pipeline.UseRegistryErrors();
                pipeline.UseRouting();
                pipeline.UseListenerEndpoints(routes =>
                {
                    routes.MapAdmin();
                    routes.MapBackup();
                    routes.MapReplicaAdmin();
                    if (options.Chaos.Enabled)
                    {
                        routes.MapChaos();
                    }
                });
            });
        metrics.PrepareRoutes(RequestTelemetryMiddleware.RoutesOf(app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<ListenerMetadata>()?.Listener == Listener.Api)));
        return new RegistryApplication(app);
    }

    /// <summary>Runs until SIGTERM/SIGINT: 0 after a clean stop, 4 when storage cannot be recovered, 1 when the host cannot start (e.g. an address in use).</summary>
    public async Task<int> RunAsync()
    {
        try
        {
            await App.StartAsync();
        }
        catch (StorageRecoveryException)
        {
            await App.StopAsync();
            return 4;
        }
        catch (Transparency.LogKeyMismatchException)
        {
            // A configuration error (exit 2, as a key that does not load): the chain names a key the configuration lacks.
            await App.StopAsync();
            return 2;
        }
        catch (IOException ex)
        {
            App.Services.GetRequiredService<ILoggerFactory>().CreateLogger("svc-registry").LogCritical(ex, "svc-registry cannot start: {Reason}", ex.Message);
            await App.StopAsync();
            return 1;
        }

        await App.WaitForShutdownAsync();
        return 0;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => App.DisposeAsync();
}
