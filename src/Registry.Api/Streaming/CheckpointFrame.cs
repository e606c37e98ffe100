using System.Text;
using Registry.Api.Transparency;
using Registry.Core.Json;

namespace Registry.Api.Streaming;

/// <summary>
/// The stream's <c>event: checkpoint</c> frame (docs/API.md "Stream", PROTOCOL.md section 12), sent after each signing of
/// the transparency log's checkpoint, once the witnesses have answered:
/// <c>event: checkpoint\ndata: {"note":"&lt;signed note&gt;","root":"sha256:…","size":N}\n\n</c>. It has no <c>id:</c>
/// line, so a client's Last-Event-ID stays the last commit's version and resumption is unchanged.
/// </summary>
public static class CheckpointFrame
{
    /// <summary>The frame of <paramref name="checkpoint"/>; its <see cref="CommitFrame.Version"/> is the tree's head version (size - 1).</summary>
    public static CommitFrame From(SignedCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var writer = new CanonicalJsonWriter(checkpoint.Note.Length + 128);
        writer.WriteStartObject();
        writer.WriteString("note", Encoding.UTF8.GetString(checkpoint.Note));
        writer.WriteString("root", checkpoint.Root.ToString());
        writer.WriteInteger("size", checkpoint.Size);
        writer.WriteEndObject();
        var head = "event: checkpoint\ndata: "u8;
        var data = writer.WrittenSpan;
        var bytes = new byte[head.Length + data.Length + 2];
        head.CopyTo(bytes);
        data.CopyTo(bytes.AsSpan(head.Length));
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return new CommitFrame(checkpoint.Size - 1, bytes) { IsCheckpoint = true };
    }
}
