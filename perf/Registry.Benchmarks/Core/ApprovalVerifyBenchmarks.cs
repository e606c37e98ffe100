using BenchmarkDotNet.Attributes;
using NSec.Cryptography;
using Registry.Core.Crypto;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Benchmarks.Core;

/// <summary>
/// Verifying one approval, against the raw NSec call it wraps (issue 2 target: within 1.5x of raw; before issue 13
/// the baseline was the raw libsodium P/Invoke, which NSec makes for both).
/// <c>DecideApprove</c> is the whole decision the writer makes for an approval, signature check included.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ApprovalVerifyBenchmarks
{
    private byte[] _message = [];
    private byte[] _signature = [];
    private PublicKey _publicKey = null!;
    private Ed25519PublicKey _key;
    private Approval _approval = null!;
    private Digest _proposalId;
    private RegistryState _state = null!;
    private Timestamp _now;

    [GlobalSetup]
    public void Setup()
    {
        var fixture = CoreFixture.WithPendingProposal(descriptors: 1_000, changes: 1, approvals: 0);
        _state = fixture.State;
        _proposalId = fixture.Proposal.Id;
        _now = fixture.Now;
        var secret = CoreFixture.Key(1);
        _key = secret.PublicKey;
        _publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, _key.Bytes, KeyBlobFormat.RawPublicKey);
        _approval = Approval.Sign("alice", secret, _proposalId);
        _message = Approval.SigningMessage(_proposalId);
        _signature = _approval.Signature.ToArray();
    }

    [Benchmark(Baseline = true)]
    public bool RawNSecVerify() => SignatureAlgorithm.Ed25519.Verify(_publicKey, _message, _signature);

    [Benchmark]
    public bool ApprovalVerify() => _approval.Verify(_key, _proposalId);

    [Benchmark]
    public DecisionKind DecideApprove() => RegistryMachine.DecideApprove(_state, _proposalId, _approval, _now).Kind;
}
