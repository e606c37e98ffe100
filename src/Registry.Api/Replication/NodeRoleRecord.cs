using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>The role stored in <c>&lt;data_dir&gt;/role.json</c> (<see cref="NodeRoleFile"/>). Immutable.</summary>
/// <param name="Role"><c>primary</c> (promoted), <c>demoted</c> or <c>replica</c>.</param>
/// <param name="Upstream">For <c>replica</c> the followed node; for <c>primary</c> the old primary it was promoted away from; else null.</param>
/// <param name="Version">This node's HEAD version when the role was taken.</param>
/// <param name="Hash">This node's HEAD hash then.</param>
/// <param name="Since">When the role was taken (RFC 3339 UTC).</param>
public sealed record NodeRoleRecord(string Role, string? Upstream, long Version, Digest Hash, string Since)
{
    /// <summary>A promoted node.</summary>
    public const string Primary = "primary";

    /// <summary>A demoted primary.</summary>
    public const string Demoted = "demoted";

    /// <summary>A replica.</summary>
    public const string Replica = "replica";
}
