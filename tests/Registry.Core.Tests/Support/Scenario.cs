using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Tests.Support;

/// <summary>
/// Random command sequences for property tests, driven through a <see cref="Harness"/> (the real state machine):
/// proposals of random puts/deletes/set_signers/set_log_key, approvals by members, outsiders and forgers, commits and time
/// passing. Rejected commands are simply not applied, as the writer would. Deterministic for a given input.
/// </summary>
internal static class Scenario
{
    /// <summary>Signer pool: ids s1..s6 with seeds 0x01..0x06; the genesis set is s1, s2, s3 with threshold 2.</summary>
    public static SignerSet GenesisSet { get; } = TestKeys.Set(1, 2, ("s1", 1), ("s2", 2), ("s3", 3));

    public static Harness Run(IEnumerable<(int Kind, int A, int B)> commands)
    {
        var h = new Harness(GenesisSet);
        foreach (var (kind, a, b) in commands)
        {
            Step(h, kind, a, b);
        }

        return h;
    }

    /// <summary>A harness with at least <paramref name="commits"/> commits, mixing every kind of change.</summary>
    public static Harness Chain(int commits, int seed)
    {
        var h = new Harness(GenesisSet);
        var random = new Random(seed);
        while (h.State.Version < commits)
        {
            var proposal = h.Build(Changes(h.State, random), TimeSpan.FromHours(1));
            if (h.Propose(proposal).Kind != Registry.Core.Machine.DecisionKind.Accepted)
            {
                continue;
            }

            foreach (var fill in new byte[] { 1, 2, 3, 4, 5, 6 }.OrderBy(_ => random.Next()))
            {
                _ = h.Approve(proposal, ("s" + fill, fill));
            }

            _ = h.Commit(proposal);
        }

        return h;
    }

    private static void Step(Harness h, int kind, int a, int b)
    {
        var open = h.State.Pending.Values.OrderBy(p => p.Id).ToList();
        switch (kind)
        {
            case 0:
                _ = h.Propose(h.Build(Changes(h.State, new Random(b)), TimeSpan.FromMinutes(1 + (a % 30))));
                break;
            case 1 when open.Count > 0:
                // Mostly the newest open proposal, so that runs reach quorum and commit often.
                var target = a % 3 == 0 ? open[a % open.Count] : open.MaxBy(p => p.AcceptedAt)!;
                var signers = h.State.SignerSet.Signers.Concat(target.NewSignerSet?.Signers ?? []).Select(x => x.Id).Distinct().ToList();

                // Mostly members of the sets that may approve; sometimes an outsider (s7 is nobody) or a forger.
                var id = b % 5 < 4 ? signers[b % signers.Count] : "s" + (1 + (b % 7));
                var fill = byte.Parse(id.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture);
                var approval = Approval.Sign(id, TestKeys.Key(b % 11 == 0 ? (byte)42 : fill), target.Id);
                _ = h.Approve(target.Id, approval);
                break;
            case 2 when open.Count > 0:
                var ready = open.Where(p => h.State.StatusOf(p, h.Now) == ProposalStatus.Approved).ToList();
                _ = h.Commit((ready.Count > 0 && a % 4 != 0 ? ready[a % ready.Count] : open[a % open.Count]).Proposal);
                break;
            case 3:
                h.Now = h.Now.Add(TimeSpan.FromMinutes(a % 20));
                break;
            case 4:
                // A whole round: propose, approve by every member of both sets, commit.
                var proposal = h.Build(Changes(h.State, new Random(b)), TimeSpan.FromHours(1));
                if (h.Propose(proposal).Kind == Registry.Core.Machine.DecisionKind.Accepted)
                {
                    var next = proposal.Changes.OfType<SetSignersChange>().FirstOrDefault()?.SignerSet;
                    foreach (var member in h.State.SignerSet.Signers.Concat(next?.Signers ?? []).Select(x => x.Id).Distinct())
                    {
                        _ = h.Approve(proposal, (member, byte.Parse(member.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture)));
                    }

                    _ = h.Commit(proposal);
                }

                break;
            default:
                break;
        }
    }

    private static List<Change> Changes(RegistryState state, Random random)
    {
        // Now and then a log key rotation to one of three keys (the one in force again is rejected, as it must be).
        if (random.Next(9) == 0)
        {
            return [new SetLogKeyChange(TestKeys.LogKey((byte)(0x40 + random.Next(3))))];
        }

        if (random.Next(7) == 0)
        {
            var members = Enumerable.Range(1, 6).Where(_ => random.Next(2) == 0).Select(f => ("s" + f, (byte)f)).DefaultIfEmpty(("s1", (byte)1)).ToArray();
            return [new SetSignersChange(TestKeys.Set(state.SignerSet.Version + 1, 1 + random.Next(members.Length), members))];
        }

        var changes = new List<Change>();
        var count = 1 + random.Next(3);
        var existing = state.Descriptors.ToList();
        var leaves = existing.Where(d => d.Kind != DescriptorKind.Region).Select(d => d.Id).ToList();
        var regions = existing.Where(d => d.Kind == DescriptorKind.Region).Select(d => d.Id).ToList();

        // Mostly name a region that exists (or is added here), sometimes one that does not.
        string Region() => regions.Count > 0 && random.Next(8) > 0 ? regions[random.Next(regions.Count)] : "region:" + random.Next(6);
        for (var i = 0; i < count; i++)
        {
            var n = random.Next(6);
            switch (regions.Count == 0 ? 0 : random.Next(10))
            {
                case < 3:
                    changes.Add(Given.Put(Given.Region("region:" + n, "name" + random.Next(3))));
                    regions.Add("region:" + n);
                    break;
                case < 5:
                    changes.Add(Given.Put(Given.Node("node:" + n, Region(), "10.0.0." + random.Next(9) + ":7000")));
                    break;
                case < 6:
                    changes.Add(Given.Put(random.Next(2) == 0 ? Given.Service("svc:" + n) : Given.Service("svc:" + n, Region())));
                    break;
                case < 8 when leaves.Count > 0:
                    changes.Add(Given.Delete(leaves[random.Next(leaves.Count)]));
                    break;
                case < 9 when existing.Count > 0:
                    changes.Add(Given.Delete(existing[random.Next(existing.Count)].Id));
                    break;
                default:
                    changes.Add(Given.Delete("node:" + n));
                    break;
            }
        }

        return changes;
    }
}
