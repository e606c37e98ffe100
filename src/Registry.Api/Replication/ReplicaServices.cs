using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Api.Hosting;
using Registry.Api.Metrics;

namespace Registry.Api.Replication;

/// <summary>
/// Registers the role's parts on every node (<see cref="ReplicaRole"/>, <see cref="RoleTransitions"/>), and on a node
/// that starts as a replica its status, metrics and the follower.
/// </summary>
internal static class ReplicaServices
{
    /// <summary>
    /// <see cref="ReplicaRole"/> and <see cref="RoleTransitions"/>, and on a replica its status, metrics and the
    /// follower, as the last hosted services: they start after recovery published HEAD and stop before the writer and
    /// the storage.
    /// </summary>
    public static IServiceCollection AddRegistryReplica(this IServiceCollection services, LoadedConfiguration config, Components parts, NodeRoleFile file, NodeRoleDecision decision, RegistryMetrics metrics, ILoggerFactory loggers)
    {
        var options = config.Options.Replica;
        var view = parts.View;
        services.AddSingleton(parts.Role);
        ReplicaFollower? follower = null;
        if (decision.Follow is { } upstream)
        {
            var status = new ReplicaStatus(upstream, TimeProvider.System, () => view.HasState ? HeadOf(view.Current.State) : (0, default), TimeSpan.FromSeconds(options.ResumeWaitSeconds));
            parts.Role.Follow(status);
            ReplicaMetrics.Register(metrics.Registry, status, () => parts.Role.Replica is not null);
            var evidence = new ReplicaEvidence(
                config.Options.Service.Amnesia ? null : config.DataDir,
                status.Upstream,
                () => view.HasState ? view.Current.State.Version : 0,
                TimeProvider.System);
            follower = new ReplicaFollower(
                status, view, parts.History, parts.Writer, evidence, TimeSpan.FromSeconds(options.ReconnectMaxSeconds), TimeProvider.System, loggers);
        }

        var transitions = new RoleTransitions(parts.Role, file, decision, view, parts.Feed, parts.Writer, follower, TimeProvider.System, loggers.CreateLogger("svc-registry.role"));
        services.AddSingleton(transitions);
        services.AddHostedService(_ => transitions);
        if (follower is not null)
        {
            services.AddHostedService(_ => follower);
        }

        return services;
    }

    private static (long Version, Core.Model.Digest Hash) HeadOf(Core.State.RegistryState state) => (state.Version, state.HeadHash);
}
