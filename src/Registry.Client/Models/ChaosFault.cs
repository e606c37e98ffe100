using System.Text.Json;
using Registry.Client.Internal;

namespace Registry.Client.Models;

/// <summary>
/// A fault injected for a drill (<c>POST /admin/chaos</c> on the admin listener, only when the service's
/// <c>[chaos] enabled = true</c>): e.g. <c>storage-latency</c> of <see cref="Ms"/> milliseconds. Immutable.
/// </summary>
/// <param name="Fault">The fault name, e.g. <c>storage-latency</c>.</param>
/// <param name="Ms">Its magnitude in milliseconds.</param>
public sealed record ChaosFault(string Fault, int Ms)
{
    internal static ChaosFault FromJson(JsonElement e) => new(Wire.String(e, "fault"), Wire.Int(e, "ms"));
}
