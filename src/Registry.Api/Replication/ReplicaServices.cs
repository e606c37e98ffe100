using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Api.Hosting;
using Registry.Api.Metrics;

namespace Registry.Api.Replication;

/// <summary>Registers the replica's parts when <c>replica.primary</c> is set, and <see cref="ReplicaRole"/> on every node.</summary>
internal static class ReplicaServices
{
    /// <summary>
    /// <see cref="ReplicaRole"/>, and on a replica its status, metrics and the follower, as the last hosted service: it
    /// starts after recovery published HEAD and stops before the writer and the storage.
    /// </summary>
    public static IServiceCollection AddRegistryReplica(this IServiceCollection services, LoadedConfiguration config, Components parts, RegistryMetrics metrics, ILoggerFactory loggers)
    {
        var options = config.Options.Replica;
        if (!options.Following)
        {
            return services.AddSingleton(new ReplicaRole(null, parts.Ha));
        }

        var view = parts.View;
        var status = new ReplicaStatus(new Uri(options.Primary), TimeProvider.System, () => view.HasState ? HeadOf(view.Current.State) : (0, default), TimeSpan.FromSeconds(options.ResumeWaitSeconds));
        services.AddSingleton(new ReplicaRole(status));
        ReplicaMetrics.Register(metrics.Registry, status);
        var evidence = new ReplicaEvidence(
            config.Options.Service.Amnesia ? null : config.DataDir,
            status.Upstream,
            () => view.HasState ? view.Current.State.Version : 0,
            TimeProvider.System);
        return services.AddHostedService(_ => new ReplicaFollower(
            status, view, parts.History, parts.Writer, evidence, TimeSpan.FromSeconds(options.ReconnectMaxSeconds), TimeProvider.System, loggers));
    }

    private static (long Version, Core.Model.Digest Hash) HeadOf(Core.State.RegistryState state) => (state.Version, state.HeadHash);
}
