using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Api.Hosting;
using Registry.Api.Storage;
using Registry.Store.Etcd;

namespace Registry.Api.HighAvailability;

/// <summary>Builds an HA node's parts from <c>[etcd]</c> and registers its loop (docs/HA.md).</summary>
internal static class EtcdSetup
{
    /// <summary>The etcd storage around <paramref name="local"/>: the cluster's channels, the registry's keys, the node status.</summary>
    public static EtcdStorage CreateStorage(LoadedConfiguration config, RegistryStoreStorage local, TimeProvider time)
    {
        var options = config.Options;
        var etcd = options.Etcd;
        var cluster = new EtcdCluster(etcd.EndpointList, TimeSpan.FromMilliseconds(etcd.RequestTimeoutMs));
        var log = new EtcdEventLog(cluster, new EtcdLogKeys(etcd.Prefix, options.Service.RegistryId), etcd.MaxRequestBytes);
        var advertise = etcd.AdvertiseUrl.Length > 0
            ? etcd.AdvertiseUrl
            : $"{(options.Tls.Enabled ? "https" : "http")}://{options.Listen.ApiAddr}";
        return new EtcdStorage(local, log, new EtcdNodeStatus(advertise.TrimEnd('/'), time, TimeSpan.FromSeconds(options.Replica.ResumeWaitSeconds)));
    }

    /// <summary>The node's loop, as the last hosted service: it starts after recovery and stops before the writer.</summary>
    public static IServiceCollection AddRegistryHa(this IServiceCollection services, LoadedConfiguration config, Components parts, ILoggerFactory loggers)
    {
        if (parts.Ha is not { } ha)
        {
            return services;
        }

        return services.AddHostedService(_ => new EtcdNode(ha, parts.Writer, TimeSpan.FromSeconds(config.Options.Etcd.LeaseTtlSeconds), TimeProvider.System, loggers));
    }
}
