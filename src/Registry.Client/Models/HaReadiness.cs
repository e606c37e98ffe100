using System.Text.Json;
using Registry.Client.Internal;

namespace Registry.Client.Models;

/// <summary>The <c>ha</c> member of <c>/readyz</c> on a node with <c>storage.backend = "etcd"</c> (docs/HA.md). Immutable.</summary>
/// <param name="Role"><c>connecting</c>, <c>follower</c>, <c>writer</c> or <c>halted</c>.</param>
/// <param name="Writer">The elected writer's API URL, when known.</param>
/// <param name="Reason">Why etcd cannot be used now, or null.</param>
/// <param name="LocalEvents">Events in this node's verified local copy (its position).</param>
/// <param name="EtcdEvents">Events in the etcd log, as this node last saw it.</param>
/// <param name="StepDowns">How often this node stopped being the writer since it started.</param>
public sealed record HaReadiness(string Role, string? Writer, string? Reason, long LocalEvents, long EtcdEvents, long StepDowns)
{
    internal static HaReadiness FromJson(JsonElement e) => new(
        Wire.String(e, "role"),
        OptionalString(e, "writer"),
        OptionalString(e, "reason"),
        Wire.Long(e, "local_events"),
        Wire.Long(e, "etcd_events"),
        Wire.Long(e, "step_downs"));

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
