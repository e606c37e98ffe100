using System.Collections.Immutable;
using Registry.Core.Crypto;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Store.Maintenance;
using Registry.Store.Tests.Support;

namespace Registry.Store.Tests.Store;

/// <summary>
/// Recovery and offline verification check signatures in parallel ahead of the replay (ApprovalPreverifier), over
/// several windows of log entries: a forged signature is still named at exactly its entry and version, with the error
/// the sequential verifier gives.
/// </summary>
public sealed class ParallelVerificationTests : IDisposable
{
    // 400 writes of 3 entries: 1,200 entries, past the first 1,024-entry window.
    private const int Writes = 400;

    private readonly StoreFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task ForgedCommitSignatureInASecondWindow_RecoveryAndVerifyNameItsEntryWithTheSequentialError()
    {
        var events = Build();
        var forgedAt = (350 * 3) + 2;
        var original = ((Committed)events[forgedAt]).Record;
        using var wrong = Ed25519SecretKey.FromSeed(Digest.Compute("not a signer"u8).Bytes);
        var forged = new CommitRecord(original.Version, original.PrevHash, original.Proposal, [Approval.Sign(original.Approvals[0].SignerId, wrong, original.ProposalId)],
            original.SignerSetVersion, original.StateRoot, original.CommittedAt);
        events[forgedAt] = new Committed(forged);
        await AppendAsync(events);

        var records = events.OfType<Committed>().Select(c => c.Record);
        var sequential = ChainVerifier.Verify(_fixture.Chain.Genesis, records);
        Assert.Equal(original.Version, sequential.FirstBadVersion);
        Assert.Contains("does not verify", sequential.Error, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<CorruptStoreException>(() => _fixture.OpenAsync());
        Assert.Equal($"log entry #{forgedAt}: commit fails verification: {sequential.Error}", error.Cause);

        var report = await StoreVerifier.VerifyAsync(_fixture.Directory.Path, _fixture.Chain.Genesis);
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Contains($"log entry #{forgedAt}: commit fails verification: {sequential.Error}", StringComparison.Ordinal));
        Assert.Equal(forgedAt, report.Entries);
        Assert.Equal(original.Version - 1, report.HeadVersion);
    }

    [Fact]
    public async Task ForgedApprovalEvent_OnlyVerifyChecksIt_AndNamesItsEntry()
    {
        // Recovery trusts approval events it wrote (the commit record's approvals are what it verifies); ronctl verify and
        // restore check every approval event too.
        var events = Build();
        var forgedAt = (300 * 3) + 1;
        var original = (ApprovalAccepted)events[forgedAt];
        using var wrong = Ed25519SecretKey.FromSeed(Digest.Compute("not a signer"u8).Bytes);
        events[forgedAt] = new ApprovalAccepted(original.ProposalId, Approval.Sign(original.Approval.SignerId, wrong, original.ProposalId));
        await AppendAsync(events);

        await using (var store = await _fixture.OpenAsync())
        {
            Assert.Equal(Writes, store.Recovered.Version);
        }

        var report = await StoreVerifier.VerifyAsync(_fixture.Directory.Path, _fixture.Chain.Genesis);
        Assert.False(report.Ok);
        Assert.Contains(report.Problems, p => p.Contains($"log entry #{forgedAt}: approval by '{original.Approval.SignerId}' of {original.ProposalId} does not verify", StringComparison.Ordinal));
        Assert.Equal(forgedAt, report.Entries);
    }

    [Fact]
    public async Task HonestLogAcrossWindows_VerifiesEveryApproval()
    {
        await AppendAsync(Build());
        var report = await StoreVerifier.VerifyAsync(_fixture.Directory.Path, _fixture.Chain.Genesis);
        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Equal(Writes * 3, report.Entries);
        Assert.Equal(Writes, report.Commits);
        Assert.Equal(Writes, report.Approvals);
        await using var store = await _fixture.OpenAsync();
        Assert.Equal(Writes, store.Recovery.CommitsVerified);
        Assert.Equal(_fixture.Chain.State.HeadHash, store.Recovered.HeadHash);
    }

    private List<RegistryEvent> Build()
    {
        var events = new List<RegistryEvent>();
        for (var i = 0; i < Writes; i++)
        {
            events.AddRange(_fixture.Chain.Write(i));
        }

        return events;
    }

    private async Task AppendAsync(List<RegistryEvent> events)
    {
        await using var store = await _fixture.OpenAsync();
        foreach (var chunk in events.Chunk(300))
        {
            await store.AppendAsync(chunk.ToImmutableArray());
        }
    }
}
