using System.Text;
using Registry.Core.Machine;
using Registry.Core.Model;
using Registry.Core.State;

namespace Registry.Core.Tests.Docs;

/// <summary>
/// docs/PROTOCOL.md's worked examples are recomputed from the doc's own inputs; any wrong value in the doc
/// fails. Every labelled block must be an input or a checked output, so nothing in the doc goes unchecked.
/// </summary>
public sealed class ProtocolDocTests
{
    private static readonly Lazy<ProtocolDoc> s_doc = new(() => ProtocolDoc.Load());
    private static readonly Lazy<ProtocolExamples> s_examples = new(() => new ProtocolExamples(s_doc.Value));

    public static TheoryData<string> OutputNames() => [.. new ProtocolExamples(ProtocolDoc.Load()).Outputs.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(OutputNames))]
    public void Example_InProtocolDoc_EqualsRecomputedValue(string name)
    {
        var doc = s_doc.Value;
        var computed = s_examples.Value.Outputs[name];
        Assert.True(doc.Blocks.ContainsKey(name), $"docs/PROTOCOL.md lacks example '{name}'. Computed:\n{computed}");
        var lang = doc.Blocks[name].Lang;
        Assert.Equal(ProtocolExamples.Normalize(lang, computed), ProtocolExamples.Normalize(lang, doc[name]));
    }

    [Fact]
    public void Doc_LabelledBlocks_AreAllInputsOrCheckedOutputs()
    {
        var known = ProtocolExamples.InputNames.Concat(s_examples.Value.Outputs.Keys).ToHashSet(StringComparer.Ordinal);
        Assert.Equal([], s_doc.Value.Blocks.Keys.Where(n => !known.Contains(n)).ToArray());
        Assert.Equal([], ProtocolExamples.InputNames.Where(n => !s_doc.Value.Blocks.ContainsKey(n)).ToArray());
    }

    [Fact]
    public void Doc_CommitRecords_VerifyAsAChainFromTheDocsTrustRoots()
    {
        var doc = s_doc.Value;
        var genesis = GenesisRecord.FromTrustRoots(Encoding.UTF8.GetBytes(doc["trust-roots"]));
        var records = ProtocolExamples.RecordsIn(doc);

        var report = ChainVerifier.Verify(genesis, records, Digest.Parse(doc["commit-4.hash"]));

        Assert.True(report.Ok, report.Error);
        Assert.Equal(4, report.Verified);
        Assert.Equal(Digest.Parse(doc["state-4.root"]), report.Head.Descriptors.Root);

        // Version 4 was built on version 2 and commits after 3: the scoped rule, not a whole-HEAD compare-and-swap.
        Assert.Equal(2, records[3].Proposal.BaseVersion);
    }

    [Fact]
    public void Doc_CommitFourWithItsScopeCutShort_IsRejectedByTheVerifier()
    {
        var doc = s_doc.Value;
        var tampered = doc["commit-4.canonical"].Replace("\"scope\":[\"region:eu-west\",\"svc:search\"]", "\"scope\":[\"svc:search\"]", StringComparison.Ordinal);
        Assert.NotEqual(doc["commit-4.canonical"], tampered);
        Assert.Throws<RegistryFormatException>(() => CommitRecord.FromCanonicalBytes(Encoding.UTF8.GetBytes(tampered)));
    }

    [Fact]
    public void Doc_InclusionProof_VerifiesTheDescriptorInCommitOne()
    {
        var doc = s_doc.Value;
        var proof = Support.ModelJson.Read(doc["proof-1"], InclusionProof.FromJson);
        var record = ProtocolExamples.RecordsIn(doc)[0];
        var node = record.Proposal.Changes.OfType<PutChange>().Single(p => p.Descriptor.Id == "node:eu-west-1a").Descriptor;

        Assert.True(proof.Verify(node, Digest.Parse(doc["state-1.root"])));
        Assert.False(proof.Verify(node, Digest.Parse(doc["state-2.root"])));
    }

    [Fact]
    public void Load_DocWithAWrongValue_IsCaught()
    {
        // The check itself can fail: change one hex digit inside one output block and the comparison differs.
        var path = Path.GetTempFileName();
        try
        {
            var text = File.ReadAllText(ProtocolDoc.DefaultPath);
            var block = s_doc.Value["signing-message-1.hex"];
            var wrong = block[..^1] + (block[^1] == '0' ? '1' : '0');
            File.WriteAllText(path, text.Replace("example:signing-message-1.hex\n" + block, "example:signing-message-1.hex\n" + wrong, StringComparison.Ordinal));
            var altered = ProtocolDoc.Load(path);

            Assert.Equal(wrong, altered["signing-message-1.hex"]);
            Assert.NotEqual(
                ProtocolExamples.Normalize("hex", new ProtocolExamples(altered).Outputs["signing-message-1.hex"]),
                ProtocolExamples.Normalize("hex", altered["signing-message-1.hex"]));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
