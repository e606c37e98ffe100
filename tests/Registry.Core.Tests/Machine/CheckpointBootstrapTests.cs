using System.Collections.Immutable;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;
using Registry.Core.Tests.Support;
using static Registry.Core.Tests.Support.Harness;

namespace Registry.Core.Tests.Machine;

/// <summary>
/// <see cref="CheckpointBootstrap"/>: a snapshot and records 1..V that match are accepted (open proposals removed);
/// every part the records can contradict — a link, a chain hash, the head, the signer set, the committed ids, the last
/// writers — is refused naming the version, even when the snapshot is self-consistent (it decodes).
/// </summary>
public sealed class CheckpointBootstrapTests
{
    [Fact]
    public void Finish_SnapshotAndRecordsOfOneChain_GivesTheStateWithoutOpenProposals()
    {
        var h = Chain();
        var check = new CheckpointBootstrap(h.Genesis, h.State.Version, StateSnapshotCodec.ToArray(h.State));
        foreach (var record in h.Records)
        {
            check.Add(record);
        }

        var state = check.Finish();
        Assert.Equal(h.State.HeadHash, state.HeadHash);
        Assert.Equal(h.State.Descriptors.Root, state.Descriptors.Root);
        Assert.Equal(h.State.SignerSet.ToCanonicalBytes(), state.SignerSet.ToCanonicalBytes());
        Assert.Equal(TestKeys.LogKey(0x41).ToString(), state.LogKey!.ToString());
        Assert.NotEmpty(h.State.Pending);
        Assert.Empty(state.Pending);
        Assert.Equal(0, state.PendingBytes);
    }

    [Fact]
    public void Add_RecordOutOfOrder_OrBrokenLink_IsRefusedNamingTheVersion()
    {
        var h = Chain();
        var records = h.Records.ToList();
        var check = new CheckpointBootstrap(h.Genesis, h.State.Version, StateSnapshotCodec.ToArray(h.State));
        Assert.Equal(1, Assert.Throws<CheckpointBootstrapException>(() => check.Add(records[1])).Version);

        check.Add(records[0]);
        var r = records[1];
        var unlinked = new CommitRecord(r.Version, Digest.Compute("elsewhere"u8), r.Proposal, r.Approvals, r.SignerSetVersion, r.StateRoot, r.CommittedAt);
        var refused = Assert.Throws<CheckpointBootstrapException>(() => check.Add(unlinked));
        Assert.Equal(2, refused.Version);
        Assert.Contains("version 2: prev_hash", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Finish_BeforeRecordV_IsRefused()
    {
        var h = Chain();
        var check = new CheckpointBootstrap(h.Genesis, h.State.Version, StateSnapshotCodec.ToArray(h.State));
        check.Add(h.Records.First());
        Assert.Contains("ended before", Assert.Throws<CheckpointBootstrapException>(check.Finish).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void New_ServedAsAnotherVersion_OrAnotherRegistry_IsRefused()
    {
        var h = Chain();
        var bytes = StateSnapshotCodec.ToArray(h.State);
        Assert.Contains("holds version", Assert.Throws<CheckpointBootstrapException>(() => new CheckpointBootstrap(h.Genesis, h.State.Version + 1, bytes)).Message, StringComparison.Ordinal);
        var other = new GenesisRecord("other-registry", h.Genesis.SignerSet);
        Assert.Contains("belongs to registry", Assert.Throws<CheckpointBootstrapException>(() => new CheckpointBootstrap(other, h.State.Version, bytes)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("signer set")]
    [InlineData("log key")]
    [InlineData("committed proposals")]
    [InlineData("last writers")]
    public void Finish_SelfConsistentSnapshotThatTheRecordsContradict_IsRefusedAtV(string part)
    {
        var h = Chain();
        var s = h.State;
        var forged = part switch
        {
            // Same version as the set the records put in force, other keys: the codec cannot tell, the records can.
            "signer set" => Restore(s, signerSet: TestKeys.Set(s.SignerSet.Version, 1, ("mallory", 0x09))),
            // Another key named for this registry: the codec accepts it after a head that did not rotate; the records cannot.
            "log key" => Restore(s, logKey: TestKeys.LogKey(0x42)),
            "committed proposals" => Restore(s, committed: s.CommittedProposals.SetItem(h.Records.First().ProposalId, 2)),
            _ => Restore(s, lastWriters: s.LastWriters.SetItem("region:eu", s.Version)),
        };
        var bytes = StateSnapshotCodec.ToArray(forged);
        Assert.Equal(s.HeadHash, StateSnapshotCodec.Read(bytes).HeadHash);
        var check = new CheckpointBootstrap(h.Genesis, s.Version, bytes);
        foreach (var record in h.Records)
        {
            check.Add(record);
        }

        var refused = Assert.Throws<CheckpointBootstrapException>(check.Finish);
        Assert.Equal(s.Version, refused.Version);
        Assert.Contains(part, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Five commits (one a set_signers, one a set_log_key) and an open proposal.</summary>
    [Fact]
    public void New_AnySnapshotCorruption_IsRefusedAsACheckpointBootstrapException()
    {
        // The snapshot comes from the network: whatever its bytes, the refusal is typed (a halt naming the version),
        // never another exception escaping recovery.
        var h = Chain();
        var bytes = StateSnapshotCodec.ToArray(h.State);
        var random = new Random(1234);
        var escaped = new List<string>();
        for (var trial = 0; trial < 4000 && escaped.Count < 5; trial++)
        {
            var mutated = trial % 4 == 0 ? bytes.AsSpan(0, random.Next(bytes.Length)).ToArray() : (byte[])bytes.Clone();
            if (trial % 4 != 0)
            {
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                }
            }

            try
            {
                _ = new CheckpointBootstrap(h.Genesis, h.State.Version, mutated);
            }
            catch (CheckpointBootstrapException)
            {
            }
            catch (Exception ex)
            {
                escaped.Add($"trial {trial}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.Empty(escaped);
    }

    private static Harness Chain()
    {
        var h = new Harness();
        h.CommitChanges(Given.Put(Given.Region("region:eu")), Given.Put(Given.Region("region:us")));
        h.CommitChanges(Given.Put(Given.Node("node:a", "region:eu")));
        h.CommitChanges([new SetSignersChange(TestKeys.Set(2, 2, Alice, Bob, Carol))], Alice, Bob);
        h.CommitChanges([new SetLogKeyChange(TestKeys.LogKey(0x41))], Alice, Bob);
        h.CommitChanges(Given.Put(Given.Service("svc:s")), Given.Delete("node:a"));
        Expect(h.Propose(h.Build(Given.Delete("svc:s")), "tok-1"));
        return h;
    }

    private static RegistryState Restore(
        RegistryState s, SignerSet? signerSet = null, ImmutableDictionary<Digest, long>? committed = null, ImmutableDictionary<string, long>? lastWriters = null, Registry.Core.Transparency.NoteVerifierKey? logKey = null) =>
        RegistryState.Restore(s.Genesis, s.Head, s.Descriptors, signerSet ?? s.SignerSet, s.Pending, committed ?? s.CommittedProposals, lastWriters ?? s.LastWriters, s.Hashes, s.Dropped, logKey ?? s.LogKey);
}
