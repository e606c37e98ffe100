using Registry.Api.Config;
using Registry.Configuration;

namespace Registry.Api.Replication;

/// <summary>
/// The role a starting node takes, from <c>replica.primary</c> (or <c>--follow</c>) and <c>role.json</c>
/// (docs/REPLICATION.md, "Roles"):
/// <code>
/// role.json \ configured   follow URL                           nothing to follow
/// (none)                   replica of URL                       primary
/// replica                  replica of URL                       refuses to start (exit 2)
/// demoted                  replica of URL                       demoted: read-only, 503 ReadOnly
/// primary (promoted)       primary; replica.primary ignored,    primary
///                          logged (demote it first to follow)
/// </code>
/// A restart therefore never turns a replica into a writer, nor a promoted node back into a follower of the node it
/// replaced. Immutable.
/// </summary>
/// <param name="Follow">The node to follow, or null for a primary.</param>
/// <param name="Demoted">A primary that was demoted: it takes no writes.</param>
/// <param name="Stored">The role file's content at start, or null.</param>
/// <param name="Ignored">Why <c>replica.primary</c> was ignored (a promoted node), or null.</param>
internal sealed record NodeRoleDecision(Uri? Follow, bool Demoted, NodeRoleRecord? Stored, string? Ignored)
{
    /// <summary>Decides the role.</summary>
    /// <exception cref="ConfigurationException">The role file cannot be read, or says replica while nothing is configured to follow.</exception>
    public static NodeRoleDecision Resolve(LoadedConfiguration config, NodeRoleFile file)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(file);
        var options = config.Options.Replica;
        Uri? follow = options.Following ? new Uri(options.Primary) : null;
        var stored = file.Read();
        switch (stored?.Role)
        {
            case null:
                return new NodeRoleDecision(follow, false, null, null);
            case NodeRoleRecord.Replica when follow is null:
                throw new ConfigurationException(
                    $"svc-registry cannot start: this data directory belongs to a replica (it followed {stored.Upstream} since {stored.Since}, '{file.Path}'), "
                    + "and nothing is configured to follow. It will not become a writer by a restart: start it with --follow URL (replica.primary), "
                    + "or, to make it the primary, start it as a replica and run 'ronctl replica promote' (RUNBOOK.md 6.9).");
            case NodeRoleRecord.Replica:
                return new NodeRoleDecision(follow, false, stored, null);
            case NodeRoleRecord.Demoted:
                return new NodeRoleDecision(follow, follow is null, stored, null);
            default:
                var ignored = follow is null
                    ? null
                    : $"replica.primary = {follow} is ignored: this node was promoted to primary at version {stored.Version} on {stored.Since} (it followed {stored.Upstream}; '{file.Path}'). "
                      + "To make it a replica again, demote it ('ronctl replica demote') and restart it with --follow.";
                return new NodeRoleDecision(null, false, stored, ignored);
        }
    }
}
