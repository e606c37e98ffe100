using System.Text;
using Registry.Api.Witness;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Api.Tests;

/// <summary>
/// The witness's state file (docs/PROTOCOL.md section 12.12): golden bytes for a fixed note, a round trip through a
/// directory, and every corruption refused on open (magic, a newer minimum version, the checksum, another origin).
/// </summary>
public sealed class WitnessStateStoreTests
{
    private const string Origin = "ron-test-log";

    [Fact]
    public void Encode_AFixedNote_IsTheGoldenBytes()
    {
        var bytes = WitnessStateStore.Encode(Note());
        var text = Encoding.UTF8.GetString(bytes);
        var body = Note().ToString();
        Assert.Equal($"ron-witness-state 1 1 {Digest.Compute(Encoding.UTF8.GetBytes(body)).ToHex()}\n{body}", text);
        Assert.Equal("ron-witness-state 1 1 ", text[..22]);
        Assert.StartsWith("ron-test-log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n\u2014 ron-test-log ", text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..], StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AfterSave_ReadsTheCheckpointBack()
    {
        var dir = Directory.CreateTempSubdirectory("svcr-witness-state-").FullName;
        var store = WitnessStateStore.Open(dir, [Origin]);
        Assert.Null(store.Latest(Origin));
        Assert.True(Checkpoint.TryParse(Note().Text, out var checkpoint));
        store.Save(checkpoint, Note());
        Assert.Equal(checkpoint, WitnessStateStore.Open(dir, [Origin]).Latest(Origin));
        Assert.Single(Directory.GetFiles(dir));
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData("magic")]
    [InlineData("minimum")]
    [InlineData("checksum")]
    [InlineData("origin")]
    public void Decode_CorruptOrForeignState_Throws(string damage)
    {
        var good = Encoding.UTF8.GetString(WitnessStateStore.Encode(Note()));
        var bad = damage switch
        {
            "magic" => "ron-witness-stat" + good[17..],
            "minimum" => good.Replace("ron-witness-state 1 1 ", "ron-witness-state 2 2 ", StringComparison.Ordinal),
            "checksum" => good.Replace("\n3\n", "\n4\n", StringComparison.Ordinal),
            _ => good,
        };
        var origin = damage == "origin" ? "another-log" : Origin;
        var error = Assert.Throws<InvalidDataException>(() => WitnessStateStore.Decode(Encoding.UTF8.GetBytes(bad), origin, "state"));
        Assert.StartsWith("state: ", error.Message, StringComparison.Ordinal);
    }

    // A note signed with a fixed seed: Ed25519 is deterministic, so the bytes are too.
    private static SignedNote Note()
    {
        using var signer = NoteSigner.FromSeed(Origin, new byte[32]);
        return signer.SignNote(new Checkpoint(Origin, 3, new Digest(new byte[32])).ToText());
    }
}
