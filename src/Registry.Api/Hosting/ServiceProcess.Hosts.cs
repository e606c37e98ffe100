using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Registry.Api.Endpoints;
using Registry.Api.Endpoints.Schema;
using Registry.Api.Http;
using Registry.Api.Metrics;
using Registry.Api.Streaming;
using Serilog;
using Registry.Api.Ui;

namespace Registry.Api.Hosting;

public sealed partial class ServiceProcess
{
    /// <summary>
    /// The API listener's application exactly as a start with <paramref name="args"/> builds it, not started and
    /// with nothing recovered: for tests that inspect its endpoints (the OpenAPI document's completeness).
    /// </summary>
    internal static WebApplication BuildApiForInspection(string[] args)
    {
        var config = Config.ConfigLoader.Load(args, Environment.GetEnvironmentVariable);
        var process = new ServiceProcess(config, new Serilog.Core.LoggingLevelSwitch(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        return process.BuildApiHost(process.BuildComponents());
    }

    private WebApplication BuildApiHost(Components parts)
    {
        var listen = _config.Options.Listen;
        var tls = _config.Options.Tls;
        var builder = NewBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = parts.Limits.MaxBodyBytes;
            if (listen.UdsPath.Length > 0)
            {
                DeleteStaleSocket(listen.UdsPath);
                kestrel.ListenUnixSocket(listen.UdsPath, o => UseTls(o, tls));
            }

            if (!listen.UdsOnly)
            {
                kestrel.Listen(ListenAddress.Parse(listen.ApiAddr, "listen.api_addr"), o => UseTls(o, tls));
            }
        });
        Register(builder.Services, parts);
        builder.Services.AddRegistryOpenApi();
        var app = builder.Build();
        app.UseSerilogRequestLogging(_requestLogging.Configure);
        app.UseMiddleware<RequestTelemetryMiddleware>();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.MapRegistryReads();
        app.MapProposals();
        app.MapRegistryStream();
        if (_config.Options.Ui.Enabled)
        {
            app.MapUi();
        }

        app.MapRegistryOpenApi();
        _metrics.PrepareRoutes(RequestTelemetryMiddleware.RoutesOf(app));
        return app;
    }

    private WebApplication BuildAdminHost(Components parts)
    {
        var listen = _config.Options.Listen;
        var builder = NewBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            if (listen.UdsOnly)
            {
                var path = listen.AdminUdsPath.Length > 0 ? listen.AdminUdsPath : listen.UdsPath + ".admin";
                DeleteStaleSocket(path);
                kestrel.ListenUnixSocket(path);
            }
            else
            {
                kestrel.Listen(ListenAddress.Parse(listen.MetricsAddr, "listen.metrics_addr"));
            }
        });
        Register(builder.Services, parts);
        builder.Services.AddSingleton(new ServiceFeatures(_config.Options.Service.Amnesia, _config.Options.Service.ReadOnly, _config.Options.Tls.Enabled));
        builder.Services.AddSingleton<IRegistryStorageHolder>(new StorageHolder(parts.Storage));
        builder.Services.AddSingleton(new BackupLocation(_config.BackupDir));
        if (parts.Storage is Storage.IStorageFaults faults)
        {
            builder.Services.AddSingleton(faults);
        }

        var app = builder.Build();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.MapAdmin();
        app.MapBackup();
        if (_config.Options.Chaos.Enabled && parts.Storage is Storage.IStorageFaults)
        {
            app.MapChaos();
        }
        return app;
    }

    private WebApplicationBuilder NewBuilder()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = Environments.Production });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(_serilog);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(_config.Options.Service.StopTimeoutSeconds));
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        return builder;
    }

    private void Register(IServiceCollection services, Components parts)
    {
        services.AddSingleton(_metrics);
        services.AddSingleton(_time);
        services.AddSingleton(parts.View);
        services.AddSingleton(parts.History);
        services.AddSingleton(parts.Snapshots);
        services.AddSingleton(parts.Feed);
        services.AddSingleton(parts.Gate);
        services.AddSingleton(parts.Readiness);
        services.AddSingleton(parts.Limits);
        services.AddSingleton(parts.Authenticator);
        services.AddSingleton(parts.Defaults);
        services.AddSingleton(parts.StreamSettings);
    }

    private static void UseTls(ListenOptions listen, Registry.Configuration.TlsOptions tls)
    {
        if (tls.Enabled)
        {
            listen.UseHttps(X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile));
        }
    }

    private sealed record StorageHolder(Storage.IRegistryStorage Storage) : IRegistryStorageHolder;

    private static void DeleteStaleSocket(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
