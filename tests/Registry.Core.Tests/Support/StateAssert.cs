using Registry.Core.Machine;
using Registry.Core.State;

namespace Registry.Core.Tests.Support;

/// <summary>Deep comparison of two registry states through their public surface.</summary>
internal static class StateAssert
{
    public static bool Same(RegistryState a, RegistryState b) =>
        a.Version == b.Version
        && a.HeadHash == b.HeadHash
        && a.PrevHash == b.PrevHash
        && a.Genesis.Hash == b.Genesis.Hash
        && a.Descriptors.Root == b.Descriptors.Root
        && a.Descriptors.Count == b.Descriptors.Count
        && a.Descriptors.Select(d => d.Region).SequenceEqual(b.Descriptors.Select(d => d.Region))
        && a.SignerSet.ToCanonicalBytes().AsSpan().SequenceEqual(b.SignerSet.ToCanonicalBytes())
        && (a.Head is null ? b.Head is null : b.Head is not null && a.Head.CanonicalBytes.SequenceEqual(b.Head.CanonicalBytes))
        && a.CommittedProposals.Count == b.CommittedProposals.Count
        && a.CommittedProposals.All(p => b.CommittedProposals.TryGetValue(p.Key, out var v) && v == p.Value)
        && a.Pending.Count == b.Pending.Count
        && a.Pending.All(p => b.Pending.TryGetValue(p.Key, out var q) && SamePending(p.Value, q))
        && a.PendingBytes == b.PendingBytes
        && a.PendingByToken.Count == b.PendingByToken.Count
        && a.PendingByToken.All(p => b.PendingByToken.TryGetValue(p.Key, out var n) && n == p.Value)
        && a.Dropped.Count == b.Dropped.Count
        && a.Dropped.All(p => b.Dropped.TryGetValue(p.Key, out var d) && d == p.Value)
        && a.LastWriters.Count == b.LastWriters.Count
        && a.LastWriters.All(p => b.LastWriters.TryGetValue(p.Key, out var v) && v == p.Value)
        && a.Hashes.All().SequenceEqual(b.Hashes.All())
        && a.LogKey?.ToString() == b.LogKey?.ToString();

    private static bool SamePending(PendingProposal a, PendingProposal b) =>
        a.Proposal.CanonicalBytes.SequenceEqual(b.Proposal.CanonicalBytes)
        && a.StateRoot == b.StateRoot
        && a.AcceptedAt == b.AcceptedAt
        && a.ProposedBy == b.ProposedBy
        && a.Approvals.Length == b.Approvals.Length
        && a.Approvals.Zip(b.Approvals).All(x => x.First.SignerId == x.Second.SignerId && x.First.Signature.SequenceEqual(x.Second.Signature));

    /// <summary>The same, as an assertion that names the first difference by re-encoding both snapshots.</summary>
    public static void Equal(RegistryState expected, RegistryState actual) =>
        Assert.Equal(Convert.ToHexString(StateSnapshotCodec.ToArray(expected)), Convert.ToHexString(StateSnapshotCodec.ToArray(actual)));
}
