using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>
/// The outcome of a promotion or demotion (<see cref="RoleTransitions"/>): done, with this node's role and HEAD after
/// it, or refused with the reason. Either way <see cref="OldPrimary"/> says what the old primary answered (promotion).
/// Immutable.
/// </summary>
/// <param name="Refusal">Null when done, else why not.</param>
/// <param name="Role">This node's role after the call (<see cref="ReplicaRole.Name"/>).</param>
/// <param name="Version">This node's HEAD version.</param>
/// <param name="Hash">This node's HEAD hash.</param>
/// <param name="OldPrimary">The old primary's URL (promotion of a replica), else null.</param>
/// <param name="OldPrimaryState"><c>demoted</c>, <c>read-only</c>, <c>unreachable</c>, <c>primary</c>, <c>replica</c> or <c>unknown</c>; null when not asked.</param>
/// <param name="Detail">What happened, for people (the problem's detail when refused).</param>
public sealed record RoleChange(RoleRefusal? Refusal, string Role, long Version, Digest Hash, Uri? OldPrimary, string? OldPrimaryState, string Detail);
