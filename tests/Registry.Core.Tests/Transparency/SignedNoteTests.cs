using System.Text;
using System.Text.Json;
using Registry.Core.Tests.Support;
using Registry.Core.Transparency;

namespace Registry.Core.Tests.Transparency;

/// <summary>
/// C2SP signed-note against the fixed keys and signatures of golang.org/x/mod/sumdb/note's tests (Vectors/note):
/// vkey and private-key parsing with their key IDs, the exact signed output, verification of a two-signature note, and
/// refusal of mangled keys, notes and signatures.
/// </summary>
public sealed class SignedNoteTests
{
    private static readonly JsonElement s_v = JsonDocument.Parse(File.ReadAllText(Vectors.PathOf("note", "sumdb_note_vectors.json"))).RootElement;

    private static string V(string name) => s_v.GetProperty(name).GetString()!;

    [Fact]
    public void ParseVerifierKey_SumdbKeys_RoundTripWithTheirKeyIds()
    {
        var peter = NoteVerifierKey.Parse(V("peter_vkey"));
        Assert.Equal("PeterNeumann", peter.Name);
        Assert.Equal(0xc74f20a3u, peter.KeyId);
        Assert.Equal(NoteVerifierKey.Ed25519Type, peter.Type);
        Assert.Equal(V("peter_vkey"), peter.ToString());
        Assert.Equal(0xaf0cfe78u, NoteVerifierKey.Parse(V("enoch_vkey")).KeyId);
    }

    [Fact]
    public void ParseVerifierKey_EveryTruncationAndByteChange_IsRefused()
    {
        var vkey = V("peter_vkey");
        for (var i = 0; i <= vkey.Length; i++)
        {
            for (var j = i + 1; j <= vkey.Length; j++)
            {
                if (i != 0 || j != vkey.Length)
                {
                    Assert.False(NoteVerifierKey.TryParse(vkey[i..j], out _), vkey[i..j]);
                }
            }
        }

        for (var i = 0; i < vkey.Length; i++)
        {
            var changed = vkey[..i] + (char)(vkey[i] + 1) + vkey[(i + 1)..];
            Assert.False(NoteVerifierKey.TryParse(changed, out _), changed);
        }

        Assert.All(s_v.GetProperty("bad_vkeys").EnumerateArray(), bad => Assert.False(NoteVerifierKey.TryParse(bad.GetString(), out _)));
    }

    [Fact]
    public void Sign_SumdbPrivateKey_GivesTheUpstreamSignedNote()
    {
        Assert.True(NoteSigner.TryParse(V("peter_skey"), out var signer));
        using (signer)
        {
            Assert.Equal(V("peter_vkey"), signer.VerifierKey.ToString());
            Assert.Equal(V("peter_signed"), signer.SignNote(V("text")).ToString());
        }
    }

    [Fact]
    public void ParsePrivateKey_AnyByteChanged_IsRefused()
    {
        var skey = V("peter_skey");
        for (var i = 0; i < skey.Length; i++)
        {
            var changed = skey[..i] + (char)(skey[i] + 1) + skey[(i + 1)..];
            Assert.False(NoteSigner.TryParse(changed, out _), changed);
        }
    }

    [Fact]
    public void VerifiedBy_TwoSignatureNote_EachKeyVerifiesItsOwnLine()
    {
        var encoded = V("peter_signed") + V("enoch_sig_line");
        Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(encoded), out var note));
        Assert.Equal(V("text"), note.Text);
        Assert.Equal(2, note.Signatures.Length);
        Assert.True(note.VerifiedBy(NoteVerifierKey.Parse(V("peter_vkey"))));
        Assert.True(note.VerifiedBy(NoteVerifierKey.Parse(V("enoch_vkey"))));
        Assert.Equal(encoded, note.ToString());
    }

    [Fact]
    public void VerifiedBy_ChangedTextOrSignature_IsFalse()
    {
        var peter = NoteVerifierKey.Parse(V("peter_vkey"));
        var signed = V("peter_signed");
        Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(signed.Replace("problem,", "problem;", StringComparison.Ordinal)), out var changedText));
        Assert.False(changedText.VerifiedBy(peter));

        var sigStart = signed.LastIndexOf(' ') + 1;
        var index = sigStart + 20;
        var changedSig = signed[..index] + (signed[index] == 'A' ? 'B' : 'A') + signed[(index + 1)..];
        Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(changedSig), out var changed));
        Assert.False(changed.VerifiedBy(peter));

        // A note signed only by a key the verifier does not know is not verified by it.
        Assert.True(SignedNote.TryParse(Encoding.UTF8.GetBytes(V("text") + "\n" + V("enoch_sig_line")), out var enochOnly));
        Assert.False(enochOnly.VerifiedBy(peter));
    }

    [Fact]
    public void TryParse_UpstreamMalformedNotes_AreRefused()
    {
        var text = V("text");
        var sig = V("peter_signed")[(text.Length + 1)..];
        string[] bad =
        [
            text,
            text + "\n",
            text + "\n" + sig[..^1],
            "\u0001" + text + "\n" + sig,
            text + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
            text + "\n" + sig + "Unexpected line.\n",
            text + "\n" + string.Concat(Enumerable.Repeat(sig, 101)),
        ];
        Assert.All(bad, b => Assert.False(SignedNote.TryParse(Encoding.UTF8.GetBytes(b), out _), b));
        Assert.False(SignedNote.TryParse([0xff, .. Encoding.UTF8.GetBytes(text + "\n" + sig)], out _));
    }

    [Fact]
    public void SignNote_GeneratedKey_RoundTripsThroughParse()
    {
        using var signer = NoteSigner.Generate("example.com/log");
        var note = signer.SignNote("hello\nworld\n");
        Assert.True(SignedNote.TryParse(note.ToBytes(), out var parsed));
        Assert.True(parsed.VerifiedBy(NoteVerifierKey.Parse(signer.VerifierKey.ToString())));
        using var other = NoteSigner.Generate("example.com/log");
        Assert.False(parsed.VerifiedBy(other.VerifierKey));
    }

    [Fact]
    public void FormatPrivateKey_Seed_ParsesBackToTheSameKey()
    {
        var seed = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var text = NoteSigner.FormatPrivateKey("registry.example/main", seed);
        Assert.StartsWith("PRIVATE+KEY+registry.example/main+", text, StringComparison.Ordinal);
        Assert.True(NoteSigner.TryParse(text + "\n", out var signer));
        using (signer)
        using (var direct = NoteSigner.FromSeed("registry.example/main", seed))
        {
            Assert.Equal(direct.VerifierKey.ToString(), signer.VerifierKey.ToString());
        }
    }
}
