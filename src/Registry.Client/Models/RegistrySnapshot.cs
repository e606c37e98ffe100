using System.Collections.Immutable;
using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary>
/// <c>GET /registry/{version}</c>: every descriptor at one version, with the record that created it
/// (<see cref="Commit"/> for versions &gt;= 1, <see cref="Genesis"/> for version 0). Immutable.
/// </summary>
/// <param name="Version">The version.</param>
/// <param name="Hash">hash(version).</param>
/// <param name="Commit">The commit record (null at version 0).</param>
/// <param name="Genesis">The genesis record (only at version 0).</param>
/// <param name="Items">The descriptors, by id.</param>
public sealed record RegistrySnapshot(long Version, Digest Hash, CommitRecord? Commit, GenesisRecord? Genesis, ImmutableArray<Descriptor> Items)
{
    internal static RegistrySnapshot FromJson(JsonElement e)
    {
        var version = Wire.Long(e, "version");
        var hash = Wire.Digest(e, "hash");
        var commit = Wire.Member(e, "commit");
        var items = Wire.Member(e, "items").EnumerateArray().Select(Descriptor.FromJson).ToImmutableArray();
        if (version == 0)
        {
            return new RegistrySnapshot(0, hash, null, GenesisFromJson(commit), items);
        }

        return new RegistrySnapshot(version, hash, CommitRecord.FromJson(commit), null, items);
    }

    /// <summary>Reads a genesis record <c>{"prev_hash","registry","signer_set","state_root","version":0}</c>.</summary>
    internal static GenesisRecord GenesisFromJson(JsonElement e) =>
        new(Wire.String(e, "registry"), SignerSet.FromJson(Wire.Member(e, "signer_set")));
}
