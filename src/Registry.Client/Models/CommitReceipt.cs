using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary><c>POST /registry/commit/{id}</c> (201): the version created (the same one on a retry). Immutable.</summary>
/// <param name="Version">The new version.</param>
/// <param name="Hash">Its hash.</param>
/// <param name="CommittedAt">When it was committed.</param>
public sealed record CommitReceipt(long Version, Digest Hash, Timestamp CommittedAt)
{
    internal static CommitReceipt FromJson(JsonElement e) => new(Wire.Long(e, "version"), Wire.Digest(e, "hash"), Wire.Timestamp(e, "committed_at"));
}
