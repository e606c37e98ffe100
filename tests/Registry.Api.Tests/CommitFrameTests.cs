using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Registry.Api.Streaming;
using Registry.Core.Crypto;
using Registry.Core.Machine;
using Registry.Core.Model;

namespace Registry.Api.Tests;

/// <summary>The stream's fast replay path builds byte-identical frames to the decoded path.</summary>
public sealed class CommitFrameTests
{
    [Theory]
    [InlineData("plain")]
    [InlineData("quote \" backslash \\ newline \n tab \t")]
    [InlineData("unicode é ✓ 𝄞 and \u0001 control")]
    public void FromCommittedEvent_AnyRecord_SameBytesAsFromDecodedRecord(string note)
    {
        var descriptor = JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            kind = "service",
            id = "svc:frame",
            attrs = new { endpoints = new[] { "https://a.example/x" }, note, nested = new { list = new object[] { 1, "two", true } } },
        })).RootElement;
        var changes = ImmutableArray.Create<Change>(new PutChange(Descriptor.FromJson(descriptor)), new DeleteChange("svc:old"));
        var proposal = new Proposal("ron-dev", 41, Digest.Compute(Encoding.UTF8.GetBytes("base")), 1, null, changes, new Timestamp(4_102_444_800_000), note);
        using var key = SignerKeyDocument.DevKey(1);
        var record = new CommitRecord(42, Digest.Compute(Encoding.UTF8.GetBytes("prev")), proposal, [Approval.Sign("dev-signer-1", key, proposal.Id)], 1, Digest.Compute(Encoding.UTF8.GetBytes("root")), new Timestamp(1_800_000_000_123));

        var decoded = CommitFrame.From(record);
        var encoded = EventCodec.Encode(new Committed(record));
        var raw = CommitFrame.FromCommittedEvent(encoded);

        Assert.Equal(42, raw.Version);
        Assert.Equal(Encoding.UTF8.GetString(decoded.Bytes), Encoding.UTF8.GetString(raw.Bytes));

        // Not what the codec writes, but the fast slice of the record must not swallow it: a member between "record"
        // and "type" still gives the record's own frame (and hash).
        var text = Encoding.UTF8.GetString(encoded);
        var widened = Encoding.UTF8.GetBytes(text.Replace(",\"type\":\"committed\"}", ",\"u\":{\"v\":1},\"type\":\"committed\"}", StringComparison.Ordinal));
        Assert.NotEqual(text, Encoding.UTF8.GetString(widened));
        Assert.Equal(Encoding.UTF8.GetString(decoded.Bytes), Encoding.UTF8.GetString(CommitFrame.FromCommittedEvent(widened).Bytes));
    }
}
