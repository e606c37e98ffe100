using Registry.Api.HighAvailability;

namespace Registry.Api.Replication;

/// <summary>
/// What this node is now (SPEC §9, docs/REPLICATION.md "Roles"): a primary, a demoted primary (read-only: it took its
/// last write and waits to follow the new primary), or a replica. Registered on every node, so handlers can ask. A
/// replica becomes a primary by <c>ronctl replica promote</c>, a primary becomes demoted by <c>ronctl replica demote</c>
/// (<see cref="RoleTransitions"/>); the role survives restarts through <see cref="NodeRoleFile"/>.
/// </summary>
/// <remarks>Thread-safe: a change is one volatile write, every read sees the old or the new role.</remarks>
public sealed class ReplicaRole
{
    private volatile State _state;

    /// <summary>Creates the role of a node that starts as a replica (<paramref name="replica"/> set) or a primary.</summary>
    /// <param name="replica">The replica's status, or null on a primary.</param>
    /// <param name="demoted">A primary that was demoted (<c>role.json</c> says so): it takes no writes.</param>
    /// <param name="ha">On an HA node (<c>storage.backend = "etcd"</c>), its storage and view of the cluster; else null.</param>
    public ReplicaRole(ReplicaStatus? replica, bool demoted = false, EtcdStorage? ha = null)
    {
        _state = new State(replica, replica is null && demoted);
        Ha = ha;
    }

    /// <summary>On an HA node (<c>storage.backend = "etcd"</c>), its storage and view of the cluster; else null. Fixed for the process's life.</summary>
    public EtcdStorage? Ha { get; }

    /// <summary>The replica's status, or null on a primary (demoted or not).</summary>
    public ReplicaStatus? Replica => _state.Replica;

    /// <summary>True on a primary that was demoted: writes answer 503 ReadOnly until it follows or is promoted again.</summary>
    public bool Demoted => _state.Demoted;

    /// <summary>The wire name: <c>primary</c>, <c>demoted</c> or <c>replica</c> (<c>/version</c> <c>role</c>, <c>X-Registry-Role</c>).</summary>
    public string Name => _state switch
    {
        { Replica: not null } => "replica",
        { Demoted: true } => "demoted",
        _ => "primary",
    };

    /// <summary>Makes a starting node a replica of the node its status follows.</summary>
    internal void Follow(ReplicaStatus replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        _state = new State(replica, false);
    }

    /// <summary>Makes this node the primary: writes are decided here from now on.</summary>
    internal void BecomePrimary() => _state = new State(null, false);

    /// <summary>Freezes this primary's writes (demotion).</summary>
    internal void BecomeDemoted() => _state = new State(null, true);

    private sealed record State(ReplicaStatus? Replica, bool Demoted);
}
