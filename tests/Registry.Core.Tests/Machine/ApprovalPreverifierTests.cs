using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Machine;

public sealed class ApprovalPreverifierTests
{
    // 40 commits mixing puts, deletes and set_signers (so windows cross signer-set changes), built once.
    private static readonly Lazy<Harness> s_chain = new(() => Scenario.Chain(40, seed: 23));

    [Fact]
    public void VerifyParallel_HonestChain_SameReportAsSequential()
    {
        var h = s_chain.Value;
        var records = h.Records.ToList();
        var sequential = ChainVerifier.Verify(h.Genesis, records, h.State.HeadHash);
        Assert.True(sequential.Ok, sequential.Error);
        foreach (var window in new[] { 1, 3, 7, 64 })
        {
            var parallel = ChainVerifier.VerifyParallel(RegistryState.FromGenesis(h.Genesis), records, h.State.HeadHash, maxDegreeOfParallelism: 4, window: window);
            AssertSame(sequential, parallel);
            StateAssert.Equal(sequential.Head, parallel.Head);
        }
    }

    [Fact]
    public void Run_HonestChain_PreverifiesEverySignatureOfEveryCommit()
    {
        // The cache must actually be filled, or the pipeline would only move work around: every approval of every record
        // is covered under the key the sequential verifier derives, including across set_signers records.
        var h = s_chain.Value;
        var state = RegistryState.FromGenesis(h.Genesis);
        var covered = 0;
        foreach (var item in ApprovalPreverifier.Run(h.Records, r => new Committed(r), state.SignerSet, window: 5, maxDegreeOfParallelism: 2))
        {
            var record = item.Item;
            var pending = new PendingProposal(record.Proposal, record.StateRoot, record.CommittedAt, record.Approvals);
            for (var i = 0; i < record.Approvals.Length; i++)
            {
                Assert.True(RegistryMachine.TryGetApproverKey(state, pending, record.Approvals[i].SignerId, out var key));
                Assert.True(item.Approvals.Covers(i, key), $"version {record.Version}: approval {i} not preverified");
                covered++;
            }

            Assert.Null(RegistryMachine.Verify(state, record, item.Approvals, out var next));
            state = next!;
        }

        Assert.True(covered >= 80, $"only {covered} approvals");
        Assert.Contains(h.Records, r => r.Proposal.Changes.OfType<SetSignersChange>().Any());
    }

    [Fact]
    public void VerifyParallel_TamperedSignatures_SameFirstFailingVersionAndErrorAsSequential()
    {
        var h = s_chain.Value;
        var records = h.Records.ToList();
        var gen =
            from index in Gen.Choose(0, records.Count - 1)
            from kind in Gen.Choose(0, 3)
            from pick in Gen.Choose(0, 63)
            from window in Gen.Choose(1, 9)
            from degree in Gen.Choose(1, 4)
            select (Index: index, Kind: kind, Pick: pick, Window: window, Degree: degree);
        PropertyCheck.Run(
            Prop.ForAll(gen.ToArbitrary(), s =>
            {
                var tampered = records.ToList();
                tampered[s.Index] = Tamper(records[s.Index], s.Kind, s.Pick);
                var sequential = ChainVerifier.Verify(h.Genesis, tampered, h.State.HeadHash);
                var parallel = ChainVerifier.VerifyParallel(RegistryState.FromGenesis(h.Genesis), tampered, h.State.HeadHash, s.Degree, s.Window);
                AssertSame(sequential, parallel);
                Assert.False(parallel.Ok);
                Assert.Equal(records[s.Index].Version, parallel.FirstBadVersion);
            }),
            maxTest: 150);
    }

    [Fact]
    public void Run_DecodeFailure_SurfacesAtItsItemAfterEveryEarlierOne()
    {
        var h = s_chain.Value;
        var records = h.Records.ToList();
        var seen = new List<long>();
        var failure = Assert.Throws<FormatException>(() =>
        {
            foreach (var item in ApprovalPreverifier.Run(records, r => r.Version == 9 ? throw new FormatException("bad 9") : new Committed(r), Scenario.GenesisSet, window: 4))
            {
                seen.Add(((Committed)item.Event).Record.Version);
            }
        });

        Assert.Equal("bad 9", failure.Message);
        Assert.Equal(Enumerable.Range(1, 8).Select(v => (long)v), seen);
    }

    [Fact]
    public void Run_SourceFailure_YieldsEveryItemBeforeItThenThrows()
    {
        var h = s_chain.Value;
        var records = h.Records.ToList();
        var seen = new List<long>();
        var failure = Assert.Throws<IOException>(() =>
        {
            foreach (var item in ApprovalPreverifier.Run(Broken(records, 13), r => new Committed(r), Scenario.GenesisSet, window: 5))
            {
                seen.Add(item.Item.Version);
            }
        });

        Assert.Equal("damaged after 13", failure.Message);
        Assert.Equal(Enumerable.Range(1, 13).Select(v => (long)v), seen);
    }

    [Fact]
    public void Covers_AnotherKey_IsFalse()
    {
        var record = s_chain.Value.Records.First();
        var checks = ApprovalPreverifier.Verify(Scenario.GenesisSet, [record], out _);
        Assert.True(Scenario.GenesisSet.TryGetKey(record.Approvals[0].SignerId, out var key));
        Assert.True(checks[0].Covers(0, key));
        Assert.False(checks[0].Covers(0, TestKeys.Key(42).PublicKey));
        Assert.False(checks[0].Covers(record.Approvals.Length, key));
        Assert.False(PreverifiedApprovals.None.Covers(0, key));
    }

    private static IEnumerable<CommitRecord> Broken(List<CommitRecord> records, int after)
    {
        foreach (var record in records.Take(after))
        {
            yield return record;
        }

        throw new IOException($"damaged after {after}");
    }

    // 0: one approval re-signed by a key that is not its signer's; 1: one approval's signature over another proposal id;
    // 2: one approval dropped below quorum or duplicated; 3: one approval by a signer id nobody holds.
    private static CommitRecord Tamper(CommitRecord record, int kind, int pick)
    {
        var approvals = record.Approvals.ToList();
        var at = pick % approvals.Count;
        var victim = approvals[at];
        switch (kind)
        {
            case 0:
                approvals[at] = Approval.Sign(victim.SignerId, TestKeys.Key(42), record.ProposalId);
                break;
            case 1:
                approvals[at] = new Approval(victim.SignerId, Approval.Sign(victim.SignerId, TestKeys.Key(Fill(victim.SignerId)), Digest.Compute("other"u8)).Signature);
                break;
            case 2:
                approvals.Add(victim);
                break;
            default:
                approvals[at] = Approval.Sign("s9", TestKeys.Key(9), record.ProposalId);
                break;
        }

        return new CommitRecord(record.Version, record.PrevHash, record.Proposal, [.. approvals], record.SignerSetVersion, record.StateRoot, record.CommittedAt);
    }

    private static byte Fill(string signerId) => byte.Parse(signerId.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertSame(ChainReport expected, ChainReport actual)
    {
        Assert.Equal(expected.Ok, actual.Ok);
        Assert.Equal(expected.Verified, actual.Verified);
        Assert.Equal(expected.FirstBadVersion, actual.FirstBadVersion);
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.Head.HeadHash, actual.Head.HeadHash);
    }
}
