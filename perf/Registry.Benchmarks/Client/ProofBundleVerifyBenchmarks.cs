using BenchmarkDotNet.Attributes;
using Registry.Benchmarks.Core;
using Registry.Client.Verification;
using Registry.Core.Machine;
using Registry.Core.Transparency;

namespace Registry.Benchmarks.Client;

/// <summary>
/// The SDK's verification of one proof bundle from its bytes (issue 16 target: under 1 ms): parse the canonical JSON,
/// the log's signature and freshness line, two witness cosignatures under a 2-of-2 policy (four Ed25519 verifications
/// in all), the record's inclusion in the tree, the descriptor's state proof over 10,000 descriptors, and the trusted
/// checkpoint (the same one each time). <c>VerifyWithoutWitnesses</c> is the same without the policy.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ProofBundleVerifyBenchmarks
{
    private byte[] _bundle = [];
    private TransparencyVerifier _witnessed = null!;
    private TransparencyVerifier _plain = null!;

    [GlobalSetup]
    public void Setup()
    {
        var fixture = CoreFixture.WithPendingProposal(descriptors: 10_000, changes: 10, approvals: 2);
        var state = fixture.State.Apply(RegistryMachine.DecideCommit(fixture.State, fixture.Proposal.Id, fixture.Now).Event!);
        var record = state.Head!;
        var tree = new MerkleTree();
        tree.Append(state.Genesis.Hash.Bytes);
        tree.Append(record.Hash.Bytes);

        using var log = NoteSigner.FromSeed(CoreFixture.RegistryId, Enumerable.Repeat((byte)7, 32).ToArray());
        using var w1 = NoteSigner.FromSeed("bench.witness/w1", Enumerable.Repeat((byte)8, 32).ToArray());
        using var w2 = NoteSigner.FromSeed("bench.witness/w2", Enumerable.Repeat((byte)9, 32).ToArray());
        var text = new Checkpoint(CoreFixture.RegistryId, tree.Size, tree.Root()).ToText();
        const long Time = 1_900_000_000;
        var note = log.SignNote(text).With(log.Cosign(text, Time)).With(w1.Cosign(text, Time)).With(w2.Cosign(text, Time));
        const string Id = "node:5000";
        state.Descriptors.TryGet(Id, out var descriptor);
        _bundle = new ProofBundle(note.ToString(), null, [], descriptor!, tree.InclusionProof(record.Version, tree.Size), record, state.Descriptors.Prove(Id)!).ToJson();
        _witnessed = new TransparencyVerifier(CoreFixture.RegistryId, log.VerifierKey, new WitnessPolicy(2, [w1.CosignatureKey, w2.CosignatureKey]));
        _plain = new TransparencyVerifier(CoreFixture.RegistryId, log.VerifierKey);
        if (!VerifyWithWitnesses() || !VerifyWithoutWitnesses())
        {
            throw new InvalidOperationException("The fixture bundle does not verify.");
        }
    }

    [Benchmark(Baseline = true)]
    public bool VerifyWithWitnesses() => _witnessed.Verify(_bundle).Ok;

    [Benchmark]
    public bool VerifyWithoutWitnesses() => _plain.Verify(_bundle).Ok;
}
