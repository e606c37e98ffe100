namespace Registry.Api.Replication;

/// <summary>
/// Why a promotion or demotion was refused: the <c>reason</c> member of the 409 <c>RoleChangeRefused</c> problem
/// (docs/API.md, admin listener). The wire names are the snake_case of the members.
/// </summary>
public enum RoleRefusal
{
    /// <summary>Promote: this node is already the primary.</summary>
    AlreadyPrimary,

    /// <summary>Promote: this node is a demoted primary; it is promoted again only with <c>resume_demoted</c>.</summary>
    Demoted,

    /// <summary>Demote: this node is a replica (it never took writes).</summary>
    NotPrimary,

    /// <summary>Promote: the replica halted on a refused record or a fork.</summary>
    Halted,

    /// <summary>Promote: the old primary answers that it still takes writes.</summary>
    PrimaryWritable,

    /// <summary>Promote: the old primary answers, but not whether it takes writes, or answers that it is a replica itself.</summary>
    PrimaryUnknown,

    /// <summary>Promote: this replica is behind the old primary (or the HEAD it last saw) and did not catch up in time.</summary>
    NotInSync,

    /// <summary>Promote: the old primary holds another record at this replica's HEAD.</summary>
    Fork,

    /// <summary>Promote or demote: this node is an HA node on etcd, whose writer is elected through etcd (docs/HA.md).</summary>
    HaNode,
}
