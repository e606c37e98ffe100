using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Model;

public sealed class ApprovalTests
{
    private static readonly Digest s_proposalId = Digest.Compute("proposal"u8);

    [Fact]
    public void SigningMessage_ProposalId_IsDomainThenIdText()
    {
        var expected = "ron:svc-registry:v2\n" + s_proposalId;
        Assert.Equal(Given.Utf8(expected), Approval.SigningMessage(s_proposalId));
        Assert.Equal(20 + 71, Approval.SigningMessage(s_proposalId).Length);
    }

    [Fact]
    public void Sign_FixedKey_IsEd25519OverTheSigningMessage()
    {
        var key = TestKeys.Key(1);
        var approval = Approval.Sign("alice", key, s_proposalId);

        Assert.Equal(key.Sign(Approval.SigningMessage(s_proposalId)), approval.Signature.ToArray());
        Assert.True(approval.Verify(key.PublicKey, s_proposalId));
    }

    [Fact]
    public void Verify_OtherProposalOrOtherKey_IsFalse()
    {
        var approval = Approval.Sign("alice", TestKeys.Key(1), s_proposalId);
        Assert.False(approval.Verify(TestKeys.Key(1).PublicKey, Digest.Compute("other"u8)));
        Assert.False(approval.Verify(TestKeys.Key(2).PublicKey, s_proposalId));
    }

    [Fact]
    public void Verify_AnyFlippedSignatureBit_IsFalse()
    {
        var good = Approval.Sign("alice", TestKeys.Key(1), s_proposalId).Signature.ToArray();
        for (var bit = 0; bit < good.Length * 8; bit += 7)
        {
            var bad = (byte[])good.Clone();
            bad[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(new Approval("alice", bad).Verify(TestKeys.Key(1).PublicKey, s_proposalId), $"bit {bit}");
        }
    }

    [Fact]
    public void WriteTo_Approval_IsCanonicalAndReadsBack()
    {
        var approval = Approval.Sign("alice", TestKeys.Key(1), s_proposalId);
        var json = ModelJson.Write(approval.WriteTo);

        Assert.Equal("{\"algo\":\"ed25519\",\"sig\":\"" + Convert.ToBase64String(approval.Signature) + "\",\"signer_id\":\"alice\"}", json);
        var back = ModelJson.Read(json, Approval.FromJson);
        Assert.Equal("alice", back.SignerId);
        Assert.Equal(approval.Signature.ToArray(), back.Signature.ToArray());
    }

    [Theory]
    [InlineData("{\"algo\":\"ed448\",\"sig\":\"AAAA\",\"signer_id\":\"a\"}")]
    [InlineData("{\"sig\":\"AAAA\",\"signer_id\":\"a\"}")]
    [InlineData("{\"algo\":\"ed25519\",\"sig\":\"AAA\",\"signer_id\":\"a\"}")]
    [InlineData("{\"algo\":\"ed25519\",\"sig\":\"AAAA\",\"signer_id\":\"A B\"}")]
    [InlineData("{\"algo\":\"ed25519\",\"sig\":\"AAAA\",\"signer_id\":\"a\",\"at\":1}")]
    [InlineData("{\"algo\":\"ed25519\",\"signer_id\":\"a\"}")]
    public void FromJson_BadApproval_IsMalformed(string json) =>
        Assert.Equal(RegistryErrorCode.Malformed, Assert.Throws<RegistryFormatException>(() => ModelJson.Read(json, Approval.FromJson)).Code);
}
