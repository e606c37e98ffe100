using Registry.Client.Models;
using Registry.Core.Machine;
using Registry.Core.Model;

namespace Registry.Client.Verification;

/// <summary>
/// Offline verification helpers: a chain of commit records against a trusted signer set, and a descriptor's
/// inclusion proof against a head or a commit record. Stateless; thread-safe.
/// </summary>
public static class RegistryVerifier
{
    /// <summary>
    /// Verifies <paramref name="records"/> (versions 1, 2, … in order) from the genesis of
    /// <paramref name="registryId"/> with the trusted <paramref name="signers"/>: every link, digest, signature,
    /// quorum and state root. With <paramref name="expectedHead"/>, the last record's hash must equal it.
    /// </summary>
    public static ChainReport VerifyChain(string registryId, SignerSet signers, IEnumerable<CommitRecord> records, Digest? expectedHead = null) =>
        VerifyChain(new GenesisRecord(registryId, signers), records, expectedHead);

    /// <summary>As above, from a trusted genesis record (e.g. <see cref="GenesisRecord.FromTrustRoots"/>).</summary>
    public static ChainReport VerifyChain(GenesisRecord trustedGenesis, IEnumerable<CommitRecord> records, Digest? expectedHead = null) =>
        ChainVerifier.Verify(trustedGenesis, records, expectedHead);

    /// <summary>
    /// True when <paramref name="proof"/> is for <paramref name="head"/>'s version and hash, and proves its
    /// descriptor under <paramref name="head"/>'s state root.
    /// </summary>
    public static bool VerifyInclusion(DescriptorProof proof, RegistryHead head)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(head);
        return proof.Version == head.Version && proof.Hash == head.Hash && proof.StateRoot == head.StateRoot
            && proof.Proof.Verify(proof.Descriptor, head.StateRoot);
    }

    /// <summary>
    /// True when <paramref name="proof"/> proves its descriptor under the state root of <paramref name="commit"/>
    /// (a record you verified, e.g. the last of a verified chain).
    /// </summary>
    public static bool VerifyInclusion(DescriptorProof proof, CommitRecord commit)
    {
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(commit);
        return proof.Version == commit.Version && proof.Hash == commit.Hash && proof.Proof.Verify(proof.Descriptor, commit.StateRoot);
    }
}
