using System.Collections.Immutable;
using System.Text;
using Registry.Core.Crypto;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Benchmarks.Core;

/// <summary>Builds benchmark states: N descriptors (nodes over 100 regions), genesis signers alice/bob/carol 2-of-3.</summary>
internal static class CoreFixture
{
    public const string RegistryId = "bench-registry";

    public static Ed25519SecretKey Key(byte fill) => Ed25519SecretKey.FromSeed(Enumerable.Repeat(fill, 32).ToArray());

    public static (RegistryState State, Proposal Proposal, Timestamp Now) WithPendingProposal(int descriptors, int changes, int approvals)
    {
        var keys = new[] { Key(1), Key(2), Key(3) };
        var set = SignerSet.Create(1, 2, [new Signer("alice", keys[0].PublicKey), new Signer("bob", keys[1].PublicKey), new Signer("carol", keys[2].PublicKey)]);
        var genesis = new GenesisRecord(RegistryId, set);

        // A state of N descriptors built directly (as a checkpoint load would): 100 regions, the rest nodes.
        var all = new List<Descriptor>(descriptors);
        for (var i = 0; i < Math.Min(100, descriptors); i++)
        {
            all.Add(Descriptor.FromTrustedParts(DescriptorKind.Region, "region:" + i, Encoding.UTF8.GetBytes($"{{\"name\":\"Region {i}\"}}"), null));
        }

        for (var i = all.Count; i < descriptors; i++)
        {
            all.Add(Node(i, "10.0.0.1"));
        }

        var state = RegistryState.Restore(genesis, null, StateTree.Build(all), set, ImmutableDictionary<Digest, PendingProposal>.Empty, ImmutableDictionary<Digest, long>.Empty, ImmutableDictionary.Create<string, long>(StringComparer.Ordinal), ChainHashes.Start(genesis.Hash));

        var list = new List<Change>();
        for (var i = 0; i < changes; i++)
        {
            list.Add(i switch
            {
                < 7 => new PutChange(Node(100 + (i * 997 % Math.Max(1, descriptors - 100)), "10.9.9.9")),
                < 9 => new PutChange(Node(descriptors + i, "10.8.8.8")),
                _ => new DeleteChange("node:" + (descriptors - 1)),
            });
        }

        var now = Timestamp.From(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var proposal = new Proposal(RegistryId, 0, state.HeadHash, 1, null, [.. list], now.Add(TimeSpan.FromHours(1)), "bench");
        state = state.Apply(Accepted(RegistryMachine.DecidePropose(state, proposal, now)));
        for (var i = 0; i < approvals; i++)
        {
            var signer = set.Signers[i];
            state = state.Apply(Accepted(RegistryMachine.DecideApprove(state, proposal.Id, Approval.Sign(signer.Id, keys[i], proposal.Id), now)));
        }

        return (state, proposal, now);
    }

    /// <summary>The JSON body of a proposal with <paramref name="changes"/> puts of realistic descriptors.</summary>
    public static byte[] ProposalRequest(int changes)
    {
        var sb = new StringBuilder();
        sb.Append("{\"registry\":\"").Append(RegistryId).Append("\",\"base_version\":41,\"base_hash\":\"sha256:")
            .Append(new string('a', 64)).Append("\",\"expires_at\":\"2030-01-01T00:00:00Z\",\"note\":\"rollout 42\",\"changes\":[");
        for (var i = 0; i < changes; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",");
            sb.Append(i % 5 == 4
                ? $"{{\"op\":\"put\",\"descriptor\":{{\"kind\":\"service\",\"id\":\"svc:api-{i}\",\"attrs\":{{\"endpoints\":[\"https://api-{i}.example.com/v1\",\"https://api-{i}.backup.example.com/v1\"],\"region\":\"region:eu-west\",\"owner\":\"team-{i % 7}\",\"replicas\":{i % 9 + 1}}}}}}}"
                : $"{{\"op\":\"put\",\"descriptor\":{{\"kind\":\"node\",\"id\":\"node:eu-west-{i}\",\"attrs\":{{\"addr\":\"10.1.{i / 250}.{i % 250}:7000\",\"region\":\"region:eu-west\",\"rack\":\"r{i % 12}\",\"labels\":{{\"tier\":\"gold\",\"zone\":\"a\"}}}}}}}}");
        }

        sb.Append("]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static Descriptor Node(int i, string ip) =>
        Descriptor.FromTrustedParts(DescriptorKind.Node, "node:" + i, Encoding.UTF8.GetBytes($"{{\"addr\":\"{ip}:{7000 + (i % 1000)}\",\"region\":\"region:{i % 100}\"}}"), "region:" + (i % 100));

    private static TEvent Accepted<TEvent>(Decision<TEvent> decision)
        where TEvent : RegistryEvent =>
        decision.Kind == DecisionKind.Accepted ? decision.Event! : throw new InvalidOperationException($"{decision.Kind}: {decision.Rejection?.Detail}");
}
