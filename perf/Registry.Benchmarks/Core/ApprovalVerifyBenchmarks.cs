using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using Registry.Core.Crypto;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Benchmarks.Core;

/// <summary>
/// Verifying one approval, against the raw libsodium call it wraps (issue 2 target: within 1.5x of raw).
/// <c>DecideApprove</c> is the whole decision the writer makes for an approval, signature check included.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class ApprovalVerifyBenchmarks
{
    private byte[] _message = [];
    private byte[] _signature = [];
    private byte[] _publicKey = [];
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
        _publicKey = _key.Bytes.ToArray();
        _approval = Approval.Sign("alice", secret, _proposalId);
        _message = Approval.SigningMessage(_proposalId);
        _signature = _approval.Signature.ToArray();
    }

    [Benchmark(Baseline = true)]
    public bool RawLibsodiumVerify() =>
        Sodium.crypto_sign_ed25519_verify_detached(
            ref MemoryMarshal.GetArrayDataReference(_signature),
            ref MemoryMarshal.GetArrayDataReference(_message),
            (ulong)_message.Length,
            ref MemoryMarshal.GetArrayDataReference(_publicKey)) == 0;

    [Benchmark]
    public bool ApprovalVerify() => _approval.Verify(_key, _proposalId);

    [Benchmark]
    public DecisionKind DecideApprove() => RegistryMachine.DecideApprove(_state, _proposalId, _approval, _now).Kind;
}
