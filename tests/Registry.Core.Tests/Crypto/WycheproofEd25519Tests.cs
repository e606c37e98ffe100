using System.Text.Json;
using Registry.Core.Crypto;
using Registry.Core.Tests.Support;

namespace Registry.Core.Tests.Crypto;

/// <summary>
/// Every case of Wycheproof <c>testvectors_v1/ed25519_test.json</c> (C2SP/wycheproof @ dac1dd47,
/// copied to tests/Registry.Core.Tests/Vectors/ed25519/wycheproof_ed25519_test.json), identified by tcId.
/// valid: must verify; invalid: must return false without throwing; acceptable: either.
/// </summary>
/// <remarks>
/// Verification goes through NSec 26.4.0, i.e. the libsodium 1.0.22 it ships (crypto_sign_ed25519_verify_detached).
/// Checked case by case when the project moved from Debian's libsodium 1.0.18 to NSec (issue 13): every one of the
/// 151 verdicts equals the file's expected result (88 valid, 63 invalid: S &gt;= L, bad R encodings including
/// tcId 151's x = 0 with the sign bit set, truncated and padded signatures), so no case needs special handling.
/// Small-order and non-canonical public keys, which the file does not probe, are in Ed25519StrictnessTests.
/// </remarks>
public sealed class WycheproofEd25519Tests
{
    private const string ExpectedSchema = "eddsa_verify_schema_v1.json";

    private static readonly Lazy<IReadOnlyDictionary<int, Case>> s_cases = new(Load);

    public static TheoryData<int, string, string> Cases()
    {
        var data = new TheoryData<int, string, string>();
        foreach (var c in s_cases.Value.Values.OrderBy(c => c.TcId))
        {
            data.Add(c.TcId, c.Result, c.Comment);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Verify_WycheproofCase_AgreesWithExpectedResult(int tcId, string result, string comment)
    {
        var c = s_cases.Value[tcId];
        Assert.Equal(result, c.Result);
        var key = new Ed25519PublicKey(c.PublicKey);

        var verified = key.Verify(c.Message, c.Signature);

        switch (result)
        {
            case "valid":
                Assert.True(verified, $"tcId {tcId} ({comment}) must verify.");
                break;
            case "invalid":
                Assert.False(verified, $"tcId {tcId} ({comment}) must not verify.");
                break;
            case "acceptable":
                break;
            default:
                Assert.Fail($"tcId {tcId}: unknown result '{result}'.");
                break;
        }
    }

    [Fact]
    public void Load_WycheproofFile_HasExpectedSchemaAndEveryDeclaredTest()
    {
        using var document = Open();
        var root = document.RootElement;
        Assert.Equal(ExpectedSchema, root.GetProperty("schema").GetString());
        Assert.Equal("EDDSA", root.GetProperty("algorithm").GetString());
        Assert.Equal(root.GetProperty("numberOfTests").GetInt32(), s_cases.Value.Count);
        Assert.Equal(151, s_cases.Value.Count);
        Assert.Equal(88, s_cases.Value.Values.Count(c => c.Result == "valid"));
        Assert.Equal(63, s_cases.Value.Values.Count(c => c.Result == "invalid"));
    }

    private static JsonDocument Open() =>
        JsonDocument.Parse(File.ReadAllBytes(Vectors.PathOf("ed25519", "wycheproof_ed25519_test.json")));

    private static IReadOnlyDictionary<int, Case> Load()
    {
        using var document = Open();
        var root = document.RootElement;
        var schema = root.GetProperty("schema").GetString();
        if (schema != ExpectedSchema)
        {
            throw new InvalidDataException($"Wycheproof file has schema '{schema}'; these tests read only '{ExpectedSchema}'.");
        }

        var cases = new Dictionary<int, Case>();
        foreach (var group in root.GetProperty("testGroups").EnumerateArray())
        {
            if (group.GetProperty("type").GetString() != "EddsaVerify")
            {
                throw new InvalidDataException("Unexpected Wycheproof test group type.");
            }

            var publicKey = group.GetProperty("publicKey");
            if (publicKey.GetProperty("curve").GetString() != "edwards25519")
            {
                throw new InvalidDataException("Unexpected Wycheproof curve.");
            }

            var pk = Hex.Decode(publicKey.GetProperty("pk").GetString()!);
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                var c = new Case(
                    test.GetProperty("tcId").GetInt32(),
                    test.GetProperty("comment").GetString()!,
                    test.GetProperty("result").GetString()!,
                    pk,
                    Hex.Decode(test.GetProperty("msg").GetString()!),
                    Hex.Decode(test.GetProperty("sig").GetString()!));
                cases.Add(c.TcId, c);
            }
        }

        return cases;
    }

    private sealed record Case(int TcId, string Comment, string Result, byte[] PublicKey, byte[] Message, byte[] Signature);
}
