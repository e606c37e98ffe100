using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Registry.Api.Endpoints;
using Registry.Api.Metrics;
using Registry.Api.Storage;
using Registry.Api.Streaming;
using Serilog.Core;

namespace Registry.Api.Hosting;

/// <summary>Registers the long-lived parts (<see cref="Components"/>) for the endpoints and hosted services.</summary>
internal static class RegistryParts
{
    /// <summary>Singletons of every part; the stream's stop token is the host's <c>ApplicationStopping</c>.</summary>
    public static IServiceCollection AddRegistryParts(this IServiceCollection services, ServiceStart start, Components parts, RegistryMetrics metrics)
    {
        var options = start.Configuration.Options;
        services.AddSingleton(start.Configuration);
        services.AddSingleton<LoggingLevelSwitch>(start.Level);
        services.AddSingleton(parts);
        services.AddSingleton(metrics);
        services.AddSingleton(start.RequestLogging);
        services.AddSingleton(new BackupLocation(start.Configuration.BackupDir));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(parts.View);
        services.AddSingleton(parts.History);
        services.AddSingleton(parts.Snapshots);
        services.AddSingleton(parts.Feed);
        services.AddSingleton(parts.Writer);
        services.AddSingleton(parts.Gate);
        services.AddSingleton(parts.Readiness);
        services.AddSingleton(parts.Limits);
        services.AddSingleton(parts.Authenticator);
        services.AddSingleton(parts.Defaults);
        services.AddSingleton(parts.ProposalLimits);
        services.AddSingleton(parts.Transparency);
        if (parts.Witness is not null)
        {
            services.AddSingleton(parts.Witness);
        }
        services.AddSingleton<IStorageFaults>(parts.Local);
        // A backup is of the local store: on an HA node, its verified copy of the etcd log (checkpoint plus log).
        services.AddSingleton<IRegistryStorageHolder>(new StorageHolder(parts.Local));
        services.AddSingleton(new ServiceFeatures(options.Service.Amnesia, options.Service.ReadOnly, options.Tls.Enabled));
        services.AddSingleton(sp => new StreamSettings(
            TimeSpan.FromSeconds(options.Stream.HeartbeatSeconds), options.Stream.ClientBuffer, sp.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping));
        return services;
    }

    private sealed record StorageHolder(IRegistryStorage Storage) : IRegistryStorageHolder;
}
