using System.Collections.Immutable;
using System.Text;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Core.Tests.Transparency;

/// <summary>
/// C2SP tlog-witness add-checkpoint: the request body (the spec's example parses and re-encodes to the same bytes;
/// malformed ones are refused) and the witness's checks in the spec's order, against trees built here: a fresh log is
/// cosigned, a wrong old size is a conflict naming the stored size, the same size with another root is a conflict,
/// a history rewritten before the stored size fails its consistency proof, growth with a valid proof is cosigned.
/// </summary>
public sealed class WitnessCheckTests
{
    private const string Origin = "ron-test";

    // The example request body of https://c2sp.org/tlog-witness (add-checkpoint).
    private const string SpecExample = """
        old 20852014
        PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=
        jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=
        5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=
        /6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=

        example.com/behind-the-sofa
        20852163
        CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

        — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
        — example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=

        """;

    [Fact]
    public void TryParse_TheSpecExample_ReadsEveryPartAndReencodesToTheSameBytes()
    {
        var bytes = Encoding.UTF8.GetBytes(SpecExample.ReplaceLineEndings("\n"));
        Assert.True(AddCheckpointRequest.TryParse(bytes, out var request, out var error), error);
        Assert.Equal(20852014, request.OldSize);
        Assert.Equal(4, request.Proof.Length);
        Assert.Equal("PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=", Convert.ToBase64String(request.Proof[0].Bytes));
        Assert.True(Checkpoint.TryParse(request.Note.Text, out var checkpoint));
        Assert.Equal(("example.com/behind-the-sofa", 20852163L), (checkpoint.Origin, checkpoint.Size));
        Assert.Equal(2, request.Note.Signatures.Length);
        Assert.Equal(bytes, request.ToBytes());
    }

    [Theory]
    [InlineData("old 1\n\n")]
    [InlineData("old 01\n\nx\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— x AAAAAAA=\n")]
    [InlineData("new 1\n\nx\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— x AAAAAAA=\n")]
    [InlineData("old 1\nAAAA\n\nx\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— x AAAAAAA=\n")]
    [InlineData("old 1\n\nx\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")]
    [InlineData("old -1\n\nx\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— x AAAAAAA=\n")]
    public void TryParse_NotAnAddCheckpointBody_IsFalse(string body) =>
        Assert.False(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(body), out _, out _));

    [Fact]
    public void TryParse_SixtyFourProofLines_IsFalse()
    {
        var line = Convert.ToBase64String(new byte[32]) + "\n";
        var body = "old 1\n" + string.Concat(Enumerable.Repeat(line, 64)) + "\nx\n1\n" + line + "\n— x AAAAAAA=\n";
        Assert.False(AddCheckpointRequest.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Contains("63", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InTheSpecsOrder_GivesEachOutcome()
    {
        using var log = NoteSigner.Generate(Origin);
        using var impostor = NoteSigner.Generate(Origin);
        var honest = Tree(5, fork: false);
        var forked = Tree(5, fork: true);
        Checkpoint? stored = null;
        WitnessVerdict Check(NoteSigner signer, MerkleTree tree, long size, long old, ImmutableArray<Digest>? proof = null)
        {
            var text = new Checkpoint(Origin, size, tree.RootAt(size)).ToText();
            var request = new AddCheckpointRequest(old, proof ?? (old == 0 || old == size ? ImmutableArray<Digest>.Empty : tree.ConsistencyProof(old, size)), signer.SignNote(text));
            var verdict = WitnessCheck.Check(request, origin => origin == Origin ? log.VerifierKey : null, _ => stored);
            if (verdict.Outcome == WitnessOutcome.Cosign)
            {
                stored = verdict.Checkpoint;
            }

            return verdict;
        }

        Assert.Equal(WitnessOutcome.NotSigned, Check(impostor, honest, 3, 0).Outcome);
        Assert.Equal(WitnessOutcome.InconsistentProof, Check(log, honest, 3, 0, ImmutableArray.Create(honest.RootAt(1))).Outcome);
        Assert.Equal(WitnessOutcome.Cosign, Check(log, honest, 3, 0).Outcome);

        var stale = Check(log, honest, 4, 0);
        Assert.Equal((WitnessOutcome.Conflict, 3L), (stale.Outcome, stale.StoredSize));
        Assert.Equal(WitnessOutcome.BadRequest, Check(log, honest, 2, 3, ImmutableArray<Digest>.Empty).Outcome);

        // Another history with the same key: the same size is a split view, a larger one an inconsistent proof.
        var split = Check(log, forked, 3, 3);
        Assert.Equal(WitnessOutcome.Conflict, split.Outcome);
        Assert.StartsWith("split view", split.Reason, StringComparison.Ordinal);
        Assert.Equal(WitnessOutcome.InconsistentProof, Check(log, forked, 5, 3).Outcome);
        Assert.Equal(3, stored!.Size);

        Assert.Equal(WitnessOutcome.Cosign, Check(log, honest, 3, 3).Outcome);
        Assert.Equal(WitnessOutcome.Cosign, Check(log, honest, 5, 3).Outcome);
        Assert.Equal(5, stored.Size);

        var unknown = WitnessCheck.Check(
            new AddCheckpointRequest(0, [], log.SignNote(new Checkpoint("other-log", 1, honest.RootAt(1)).ToText())),
            origin => origin == Origin ? log.VerifierKey : null,
            _ => null);
        Assert.Equal(WitnessOutcome.UnknownOrigin, unknown.Outcome);
    }

    // Leaves "entry-i"; the fork changes leaf 1, so every tree of size 2 or more differs from the honest one.
    private static MerkleTree Tree(int size, bool fork)
    {
        var tree = new MerkleTree();
        for (var i = 0; i < size; i++)
        {
            tree.Append(Encoding.UTF8.GetBytes(fork && i == 1 ? "rewritten" : $"entry-{i}"));
        }

        return tree;
    }
}
