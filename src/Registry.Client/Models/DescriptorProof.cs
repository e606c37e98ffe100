using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Client.Models;

/// <summary>
/// <c>GET /registry/{version}/descriptors/{id}</c>: one descriptor and the Merkle proof that it is in the
/// state with root <see cref="StateRoot"/> at <see cref="Version"/>. Immutable.
/// </summary>
/// <param name="Version">The version asked for.</param>
/// <param name="Hash">hash(version).</param>
/// <param name="StateRoot">The state root the proof leads to.</param>
/// <param name="Descriptor">The descriptor.</param>
/// <param name="Proof">Its inclusion proof.</param>
public sealed record DescriptorProof(long Version, Digest Hash, Digest StateRoot, Descriptor Descriptor, InclusionProof Proof)
{
    /// <summary>
    /// True when the proof hashes the descriptor up to <see cref="StateRoot"/>. This only shows the server's
    /// answer is self-consistent; to trust it, check it against a head or commit record you trust
    /// (<see cref="Verification.RegistryVerifier.VerifyInclusion(DescriptorProof, RegistryHead)"/>).
    /// </summary>
    public bool Verify() => Proof.Verify(Descriptor, StateRoot);

    internal static DescriptorProof FromJson(JsonElement e) => new(
        Wire.Long(e, "version"),
        Wire.Digest(e, "hash"),
        Wire.Digest(e, "state_root"),
        Descriptor.FromJson(Wire.Member(e, "descriptor")),
        InclusionProof.FromJson(Wire.Member(e, "proof")));
}
