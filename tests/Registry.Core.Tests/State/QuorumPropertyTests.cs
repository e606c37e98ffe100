using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.State;

/// <summary>
/// SPEC §1 quorum: a proposal commits iff at least M distinct signers of the current set gave a valid approval;
/// outsiders, forgeries and repeats are rejected with their own codes and never change the outcome.
/// </summary>
public sealed class QuorumPropertyTests
{
    private static readonly Gen<(int N, int M, (int Who, bool Valid)[] Attempts)> s_cases =
        from n in Gen.Choose(1, 8)
        from m in Gen.Choose(1, n)
        from attempts in (from who in Gen.Choose(0, n + 2) from valid in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false))) select (who, valid)).ArrayOf()
        select (n, m, attempts);

    [Fact]
    public void DecideCommit_AnyApprovals_CommitsIffMDistinctValidMembers()
    {
        PropertyCheck.Run(
            Prop.ForAll(s_cases.ToArbitrary(), c =>
            {
                var set = SignerSet.Create(1, c.M, Enumerable.Range(0, c.N).Select(i => TestKeys.Signer("s" + i, (byte)(i + 1))));
                var h = new Harness(set);
                var proposal = h.Build(Given.Put(Given.Region("region:q")));
                Harness.Expect(h.Propose(proposal));

                var approved = new HashSet<int>();
                foreach (var (who, valid) in c.Attempts)
                {
                    var id = "s" + who;
                    var approval = Approval.Sign(id, TestKeys.Key(valid ? (byte)(who + 1) : (byte)200), proposal.Id);
                    var decision = h.Approve(proposal.Id, approval);
                    var expected = who >= c.N ? RegistryErrorCode.UnknownSigner
                        : approved.Contains(who) ? RegistryErrorCode.DuplicateApproval
                        : !valid ? RegistryErrorCode.InvalidSig
                        : (RegistryErrorCode?)null;
                    if (expected is null ? decision.Kind != DecisionKind.Accepted : decision.Rejection?.Code != expected)
                    {
                        return false;
                    }

                    if (expected is null)
                    {
                        approved.Add(who);
                    }
                }

                var commit = h.Commit(proposal);
                return approved.Count >= c.M
                    ? commit.Kind == DecisionKind.Accepted
                    : commit.Kind == DecisionKind.Rejected && commit.Rejection!.Code == RegistryErrorCode.QuorumFailed;
            }),
            maxTest: 200,
            endSize: 20);
    }

    [Fact]
    public void Count_DuplicatesAndOutsidersAdded_NeverChangeTheCount()
    {
        var gen =
            from n in Gen.Choose(1, 10)
            from m in Gen.Choose(1, n)
            from members in Gen.Choose(0, n - 1).ListOf()
            from extras in Gen.Choose(0, 2 * n).ListOf()
            select (N: n, M: m, Members: members.ToArray(), Extras: extras.ToArray());
        PropertyCheck.Run(
            Prop.ForAll(gen.ToArbitrary(), c =>
            {
                var set = SignerSet.Create(1, c.M, Enumerable.Range(0, c.N).Select(i => TestKeys.Signer("s" + i, (byte)(i + 1))));
                var sig = new byte[64];
                ImmutableArray<Approval> Of(IEnumerable<int> who) => [.. who.Select(i => new Approval("s" + i, sig))];

                var honest = Quorum.Count(set, null, Of(c.Members.Distinct()));
                var noisy = Quorum.Count(set, null, Of(c.Members.Concat(c.Members).Concat(c.Extras.Where(e => e >= c.N || c.Members.Contains(e)))));
                return honest == noisy
                    && honest.Have == c.Members.Distinct().Count()
                    && honest.IsMet == (c.Members.Distinct().Count() >= c.M);
            }),
            maxTest: 500);
    }
}
