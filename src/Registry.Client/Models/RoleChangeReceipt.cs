using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary>
/// The answer to <c>POST /admin/replica/promote</c> or <c>/admin/replica/demote</c> on the admin listener: the node's
/// role and HEAD after the change, and for a promotion what the old primary answered. Immutable.
/// </summary>
/// <param name="Role"><c>primary</c>, <c>demoted</c> or <c>replica</c>.</param>
/// <param name="Version">The node's HEAD version.</param>
/// <param name="Hash">The node's HEAD hash.</param>
/// <param name="OldPrimary">The old primary's API URL (a promoted replica), else null.</param>
/// <param name="OldPrimaryState"><c>demoted</c>, <c>read-only</c> or <c>unreachable</c> (a promoted replica), else null.</param>
/// <param name="Detail">What happened, for people.</param>
public sealed record RoleChangeReceipt(string Role, long Version, Digest Hash, string? OldPrimary, string? OldPrimaryState, string Detail)
{
    internal static RoleChangeReceipt FromJson(JsonElement e) => new(
        Wire.String(e, "role"),
        Wire.Long(e, "version"),
        Wire.Digest(e, "hash"),
        NullableString(e, "old_primary"),
        NullableString(e, "old_primary_state"),
        Wire.String(e, "detail"));

    private static string? NullableString(JsonElement e, string name) =>
        Wire.Member(e, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
