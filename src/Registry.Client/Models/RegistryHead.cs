using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary><c>GET /registry/head</c>: the newest version and what it commits to. Immutable.</summary>
/// <param name="Version">HEAD's version (0 = genesis only).</param>
/// <param name="Hash">hash(HEAD): the digest of its canonical commit record (or of the genesis record).</param>
/// <param name="PrevHash">hash(HEAD - 1); all zero at genesis.</param>
/// <param name="StateRoot">The Merkle root of the descriptor set at HEAD.</param>
/// <param name="CommittedAt">When HEAD was committed; null at genesis.</param>
/// <param name="DescriptorCount">How many descriptors HEAD holds.</param>
/// <param name="SignerSetVersion">The signer set in force at HEAD.</param>
/// <param name="Registry">The registry id, when the service reports it.</param>
public sealed record RegistryHead(long Version, Digest Hash, Digest PrevHash, Digest StateRoot, Timestamp? CommittedAt, long DescriptorCount, long SignerSetVersion, string? Registry)
{
    internal static RegistryHead FromJson(JsonElement e) => new(
        Wire.Long(e, "version"),
        Wire.Digest(e, "hash"),
        Wire.Digest(e, "prev_hash"),
        Wire.Digest(e, "state_root"),
        Wire.OptionalTimestamp(e, "committed_at"),
        Wire.Long(e, "descriptor_count"),
        Wire.Long(e, "signer_set_version"),
        e.TryGetProperty("registry", out var registry) ? registry.GetString() : null);
}
