using System.Buffers.Binary;
using System.Text;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Core.Tests.Transparency;

/// <summary>C2SP tlog-checkpoint bodies and C2SP cosignature/v1 lines: exact bytes, round trips and refusals.</summary>
public sealed class CheckpointTests
{
    [Fact]
    public void ToText_SpecExample_IsTheSpecBody()
    {
        // The example of c2sp.org/tlog-checkpoint.
        var root = Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
        var checkpoint = new Checkpoint("example.com/behind-the-sofa", 20852163, new Digest(root));
        Assert.Equal("example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", checkpoint.ToText());
        Assert.True(Checkpoint.TryParse(checkpoint.ToText(), out var parsed));
        Assert.Equal(checkpoint, parsed);
    }

    [Theory]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")]
    [InlineData("o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\next\n")]
    [InlineData("\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n")]
    [InlineData("o\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    public void TryParse_NotACheckpointWithoutExtensions_IsFalse(string text) => Assert.False(Checkpoint.TryParse(text, out _));

    [Fact]
    public void Cosign_MessageAndLine_AreTheSpecBytes()
    {
        using var signer = NoteSigner.Generate("witness.example/w1");
        var body = new Checkpoint("example.com/behind-the-sofa", 20852163, new Digest(Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="))).ToText();
        Assert.Equal(
            "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
            Encoding.UTF8.GetString(Cosignature.Message(body, 1679315147)));

        var line = signer.Cosign(body, 1679315147);
        Assert.Equal(signer.CosignatureKey.KeyId, line.KeyId);
        Assert.NotEqual(signer.VerifierKey.KeyId, line.KeyId);
        Assert.Equal(72, line.Signature.Length);
        Assert.Equal(1679315147UL, BinaryPrimitives.ReadUInt64BigEndian(line.Signature.Span));
        Assert.True(signer.CosignatureKey.PublicKey.Verify(Cosignature.Message(body, 1679315147), line.Signature.Span[8..]));
    }

    [Fact]
    public void TryVerify_CosignedCheckpoint_GivesTheTimestampAndRefusesTampering()
    {
        using var log = NoteSigner.Generate("registry.example/main");
        using var witness = NoteSigner.Generate("witness.example/w1");
        var body = new Checkpoint("registry.example/main", 3, MerkleHash.Leaf([1, 2, 3])).ToText();
        var note = log.SignNote(body).With(witness.Cosign(body, 1_700_000_000));
        Assert.True(SignedNote.TryParse(note.ToBytes(), out var parsed));
        Assert.True(parsed.VerifiedBy(log.VerifierKey));
        Assert.True(Cosignature.TryVerify(parsed, witness.CosignatureKey, out var time));
        Assert.Equal(1_700_000_000, time);

        // The type 0x01 key of the witness names no line; the log's cosignature key names none either.
        Assert.False(Cosignature.TryVerify(parsed, witness.VerifierKey, out _));
        Assert.False(Cosignature.TryVerify(parsed, log.CosignatureKey, out _));

        // A cosignature moved onto another body, or with its timestamp changed, does not verify.
        var other = new SignedNote(new Checkpoint("registry.example/main", 4, MerkleHash.Leaf([1])).ToText(), [parsed.Signatures[1]]);
        Assert.False(Cosignature.TryVerify(other, witness.CosignatureKey, out _));
        var bytes = parsed.Signatures[1].Signature.ToArray();
        bytes[7] ^= 1;
        var retimed = new SignedNote(body, [parsed.Signatures[1] with { Signature = bytes }]);
        Assert.False(Cosignature.TryVerify(retimed, witness.CosignatureKey, out _));
    }

    [Fact]
    public void KeyIds_AreSha256OfNameNewlineTypeKey()
    {
        using var signer = NoteSigner.FromSeed("n", new byte[32]);
        var pub = signer.VerifierKey.PublicKey.Bytes.ToArray();
        foreach (var (type, key) in new[] { ((byte)0x01, signer.VerifierKey), ((byte)0x04, signer.CosignatureKey) })
        {
            var digest = System.Security.Cryptography.SHA256.HashData([(byte)'n', 0x0A, type, .. pub]);
            Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(digest), key.KeyId);
        }
    }
}
