using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Model;

public sealed class ProposalTests
{
    private const string ZeroHash = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly string s_full = $$$$"""
        {"registry":"reg-1","base_version":3,"base_hash":"{{{{ZeroHash}}}}","note":"add eu","scope":["*"],"signer_set_version":1,
         "expires_at":"2030-01-01T01:00:00+01:00",
         "changes":[{"op":"put","descriptor":{"kind":"region","id":"region:eu","attrs":{"name":"EU"}}},
                    {"op":"delete","id":"node:old"},
                    {"op":"set_signers","signer_set":{"version":2,"threshold":1,"signers":[{"id":"a","algo":"ed25519","public_key":"{{{{TestKeys.Key(1).PublicKey.ToBase64()}}}}"}]}}]}
        """;

    [Fact]
    public void FromJson_FullDocument_WritesCanonicalKeyOrderAndNormalisedTime()
    {
        var p = Given.Proposal(s_full);
        var key = TestKeys.Key(1).PublicKey.ToBase64();
        var expected =
            "{\"base_hash\":\"" + ZeroHash + "\",\"base_version\":3,\"changes\":["
            + "{\"descriptor\":{\"attrs\":{\"name\":\"EU\"},\"id\":\"region:eu\",\"kind\":\"region\"},\"op\":\"put\"},"
            + "{\"id\":\"node:old\",\"op\":\"delete\"},"
            + "{\"op\":\"set_signers\",\"signer_set\":{\"signers\":[{\"algo\":\"ed25519\",\"id\":\"a\",\"public_key\":\"" + key + "\"}],\"threshold\":1,\"version\":2}}"
            + "],\"expires_at\":\"2030-01-01T00:00:00.000Z\",\"note\":\"add eu\",\"registry\":\"reg-1\",\"scope\":[\"*\"],\"signer_set_version\":1}";

        Assert.Equal(expected, Given.Text(p.CanonicalBytes));
        Assert.Equal(Digest.Compute(Given.Utf8(expected)), p.Id);
        Assert.Equal(3, p.BaseVersion);
        Assert.Equal(["put", "delete", "set_signers"], p.Changes.Select(c => c.Op));
    }

    [Fact]
    public void Id_SameDocumentSpelledDifferently_IsTheSame()
    {
        var a = Given.Proposal(s_full);
        var b = Given.Proposal(Given.Text(CanonicalJson.Canonicalize(Given.Utf8(s_full))));
        var c = Given.Proposal(s_full.Replace("+01:00", "Z", StringComparison.Ordinal).Replace("T01:00:00", "T00:00:00.000", StringComparison.Ordinal));
        Assert.Equal(a.Id, b.Id);
        Assert.Equal(a.Id, c.Id);
    }

    [Fact]
    public void Id_AnyMemberChanged_Differs()
    {
        var baseline = Given.Proposal(s_full).Id;
        string[] variants =
        [
            s_full.Replace("reg-1", "reg-2", StringComparison.Ordinal),
            s_full.Replace("\"base_version\":3", "\"base_version\":4", StringComparison.Ordinal),
            s_full.Replace(ZeroHash, ZeroHash[..^1] + "1", StringComparison.Ordinal),
            s_full.Replace("add eu", "add EU", StringComparison.Ordinal),
            s_full.Replace("01:00:00+01:00", "01:00:01+01:00", StringComparison.Ordinal),
            s_full.Replace("node:old", "node:olf", StringComparison.Ordinal),
            s_full.Replace("\"signer_set_version\":1", "\"signer_set_version\":2", StringComparison.Ordinal),
        ];
        foreach (var variant in variants)
        {
            Assert.NotEqual(baseline, Given.Proposal(variant).Id);
        }
    }

    [Fact]
    public void FromJson_OmittedServerMembersWithDefaults_FilledIn()
    {
        var defaults = new ProposalDefaults("reg-9", Timestamp.From(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero)), 1);
        var p = Given.Proposal($$$"""{"base_version":0,"base_hash":"{{{ZeroHash}}}","changes":[{"op":"delete","id":"x"}]}""", defaults);
        Assert.Equal("reg-9", p.Registry);
        Assert.Equal("2031-05-06T07:08:09.000Z", p.ExpiresAt.ToString());
        Assert.Equal(string.Empty, p.Note);
        Assert.Contains("\"note\":\"\"", Given.Text(p.CanonicalBytes), StringComparison.Ordinal);
        Assert.Equal(["x"], p.Scope.ToArray());
        Assert.Equal(1, p.SignerSetVersion);
    }

    [Fact]
    public void FromJson_ScopeOmittedWithDefaults_IsWrittenDeletedAndReferencedIdsSorted()
    {
        var defaults = new ProposalDefaults("reg-9", Timestamp.From(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero)), 4);
        var p = Given.Proposal($$$$"""
            {"base_version":0,"base_hash":"{{{{ZeroHash}}}}","changes":[
              {"op":"put","descriptor":{"kind":"node","id":"node:b","attrs":{"addr":"h:1","region":"region:z"}}},
              {"op":"delete","id":"node:a"},
              {"op":"put","descriptor":{"kind":"service","id":"svc:s","attrs":{"endpoints":["https://x/"]}}}]}
            """, defaults);
        Assert.Equal(["node:a", "node:b", "region:z", "svc:s"], p.Scope.ToArray());
        Assert.Equal(4, p.SignerSetVersion);
        Assert.Contains("\"scope\":[\"node:a\",\"node:b\",\"region:z\",\"svc:s\"],\"signer_set_version\":4}", Given.Text(p.CanonicalBytes), StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_SetSignersWithDefaults_ScopeIsEverything()
    {
        var p = Given.Proposal(s_full.Replace("\"scope\":[\"*\"],", string.Empty, StringComparison.Ordinal), new ProposalDefaults("r", new Timestamp(0), 1));
        Assert.Equal([Proposal.Everything], p.Scope.ToArray());
        Assert.True(p.ScopesEverything);
    }

    [Theory]
    [InlineData("[\"node:b\"]")]
    [InlineData("[\"region:z\"]")]
    [InlineData("[\"node:b\",\"region:z\",\"node:c\"]")]
    [InlineData("[\"node:b\",\"node:b\",\"region:z\"]")]
    [InlineData("[\"*\",\"node:b\",\"region:z\"]")]
    [InlineData("[\"Node B\",\"node:b\",\"region:z\"]")]
    [InlineData("[]")]
    [InlineData("\"node:b\"")]
    [InlineData("[1]")]
    public void FromJson_ScopeLackingAnIdOrNotSortedUniqueIds_IsMalformed(string scope) =>
        AssertMalformed($$$$"""
            {"registry":"r","base_version":0,"base_hash":"{{{{ZeroHash}}}}","expires_at":"2030-01-01T00:00:00Z","note":"","signer_set_version":1,"scope":{{{{scope}}}},
             "changes":[{"op":"put","descriptor":{"kind":"node","id":"node:b","attrs":{"addr":"h:1","region":"region:z"}}}]}
            """);

    [Fact]
    public void FromJson_ScopeWithMoreIdsThanNeeded_IsAcceptedAsGiven()
    {
        var p = Given.Proposal($$$$"""
            {"registry":"r","base_version":0,"base_hash":"{{{{ZeroHash}}}}","expires_at":"2030-01-01T00:00:00Z","note":"","signer_set_version":1,"scope":["a:pinned","node:b","region:z"],
             "changes":[{"op":"put","descriptor":{"kind":"node","id":"node:b","attrs":{"addr":"h:1","region":"region:z"}}}]}
            """);
        Assert.Equal(["a:pinned", "node:b", "region:z"], p.Scope.ToArray());
        Assert.Null(p.MissingFromScope());
    }

    [Fact]
    public void FromJson_SetSignersWithAnIdScope_IsMalformed() =>
        AssertMalformed(s_full.Replace("\"scope\":[\"*\"]", "\"scope\":[\"node:old\",\"region:eu\"]", StringComparison.Ordinal));

    [Theory]
    [InlineData("registry")]
    [InlineData("expires_at")]
    [InlineData("note")]
    [InlineData("base_version")]
    [InlineData("base_hash")]
    [InlineData("changes")]
    [InlineData("scope")]
    [InlineData("signer_set_version")]
    public void FromJson_MemberMissingWithoutDefaults_IsMalformed(string member)
    {
        var json = Given.Text(Given.Proposal(s_full).CanonicalBytes);
        using var doc = CanonicalJson.Parse(Given.Utf8(json));
        var rebuilt = "{" + string.Join(",", doc.RootElement.EnumerateObject().Where(m => m.Name != member).Select(m => "\"" + m.Name + "\":" + m.Value.GetRawText())) + "}";
        AssertMalformed(rebuilt);
    }

    [Fact]
    public void FromJson_ProtocolV1Document_IsRefusedNamingTheProtocol()
    {
        var v1 = $$$"""{"base_hash":"{{{ZeroHash}}}","base_version":0,"changes":[{"id":"x","op":"delete"}],"expires_at":"2030-01-01T00:00:00.000Z","note":"","registry":"r"}""";
        var error = Assert.Throws<RegistryFormatException>(() => Proposal.FromCanonicalBytes(Given.Utf8(v1)));
        Assert.Equal(RegistryErrorCode.Malformed, error.Code);
        Assert.StartsWith("A protocol v1 proposal", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("registry")]
    [InlineData("expires_at")]
    [InlineData("note")]
    [InlineData("scope")]
    [InlineData("signer_set_version")]
    public void FromJson_ServerMemberNullWithDefaults_IsMalformedNotDefaulted(string member)
    {
        // Omitting a member asks for the server's default; null is not omission.
        var defaults = new ProposalDefaults("reg-9", Timestamp.From(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.Zero)), 1);
        var error = Assert.Throws<RegistryFormatException>(() =>
            Given.Proposal($$$"""{"base_version":0,"base_hash":"{{{ZeroHash}}}","changes":[{"op":"delete","id":"x"}],"{{{member}}}":null}""", defaults));
        Assert.Equal(RegistryErrorCode.Malformed, error.Code);
        Assert.Contains(member, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"changes\":[]")]
    [InlineData("\"changes\":{}")]
    [InlineData("\"changes\":[{\"op\":\"move\",\"id\":\"x\"}]")]
    [InlineData("\"changes\":[{\"id\":\"x\"}]")]
    [InlineData("\"changes\":[{\"op\":\"delete\",\"id\":\"x\",\"extra\":1}]")]
    [InlineData("\"changes\":[{\"op\":\"delete\",\"id\":\"Bad Id\"}]")]
    [InlineData("\"changes\":[{\"op\":\"put\"}]")]
    [InlineData("\"changes\":[5]")]
    public void FromJson_BadChanges_IsMalformed(string changes) =>
        AssertMalformed($$$"""{"registry":"r","base_version":0,"base_hash":"{{{ZeroHash}}}","expires_at":"2030-01-01T00:00:00Z","note":"","scope":["x"],"signer_set_version":1,{{{changes}}}}""");

    [Theory]
    [InlineData("\"registry\":\"Reg 1\"")]
    [InlineData("\"registry\":\"\"")]
    [InlineData("\"base_version\":-1")]
    [InlineData("\"base_version\":\"3\"")]
    [InlineData("\"base_hash\":\"sha256:00\"")]
    [InlineData("\"expires_at\":\"tomorrow\"")]
    [InlineData("\"expires_at\":\"2030-01-01T00:00:00\"")]
    [InlineData("\"note\":7")]
    [InlineData("\"signer_set_version\":0")]
    [InlineData("\"scope\":[\"y\"]")]
    [InlineData("\"extra\":true")]
    public void FromJson_BadMember_IsMalformed(string member)
    {
        var key = member[1..member.IndexOf('"', 1)];
        var members = new Dictionary<string, string>
        {
            ["registry"] = "\"r\"",
            ["base_version"] = "0",
            ["base_hash"] = "\"" + ZeroHash + "\"",
            ["expires_at"] = "\"2030-01-01T00:00:00Z\"",
            ["note"] = "\"\"",
            ["changes"] = "[{\"op\":\"delete\",\"id\":\"x\"}]",
            ["scope"] = "[\"x\"]",
            ["signer_set_version"] = "1",
        };
        members[key] = member[(member.IndexOf(':', StringComparison.Ordinal) + 1)..];
        AssertMalformed("{" + string.Join(",", members.Select(m => "\"" + m.Key + "\":" + m.Value)) + "}");
    }

    [Fact]
    public void FromJson_ChangeCountAndNoteLength_AreCapped()
    {
        string Doc(int changes, int note) =>
            "{\"registry\":\"r\",\"base_version\":0,\"base_hash\":\"" + ZeroHash + "\",\"expires_at\":\"2030-01-01T00:00:00Z\",\"signer_set_version\":1,\"scope\":["
            + string.Join(",", Enumerable.Range(0, changes).Select(i => "\"x" + i + "\"").Order(StringComparer.Ordinal)) + "],\"note\":\""
            + new string('n', note) + "\",\"changes\":[" + string.Join(",", Enumerable.Range(0, changes).Select(i => "{\"op\":\"delete\",\"id\":\"x" + i + "\"}")) + "]}";

        Assert.Equal(Proposal.MaxChanges, Given.Proposal(Doc(Proposal.MaxChanges, Proposal.MaxNoteLength)).Changes.Length);
        AssertMalformed(Doc(Proposal.MaxChanges + 1, 0));
        AssertMalformed(Doc(1, Proposal.MaxNoteLength + 1));
    }

    [Fact]
    public void FromCanonicalBytes_CanonicalBytes_RoundTrips()
    {
        var p = Given.Proposal(s_full);
        var again = Proposal.FromCanonicalBytes(p.CanonicalBytes.ToArray());
        Assert.Equal(p.Id, again.Id);
        Assert.Equal(p.CanonicalBytes.ToArray(), again.CanonicalBytes.ToArray());
    }

    [Fact]
    public void FromCanonicalBytes_NonCanonicalSpelling_IsMalformed()
    {
        var canonical = Given.Text(Given.Proposal(s_full).CanonicalBytes);
        var error = Assert.Throws<RegistryFormatException>(() => Proposal.FromCanonicalBytes(Given.Utf8(canonical.Replace(".000Z", ".000z", StringComparison.Ordinal))));
        Assert.Equal(RegistryErrorCode.Malformed, error.Code);
        Assert.Throws<RegistryFormatException>(() => Proposal.FromCanonicalBytes(Given.Utf8(" " + canonical)));
    }

    private static void AssertMalformed(string json)
    {
        var error = Assert.ThrowsAny<FormatException>(() => Given.Proposal(json));
        if (error is RegistryFormatException r)
        {
            Assert.Equal(RegistryErrorCode.Malformed, r.Code);
        }
        else
        {
            Assert.IsType<CanonicalJsonException>(error);
        }
    }
}
