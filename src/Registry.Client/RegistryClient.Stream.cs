// GET /registry/stream (SPEC §4): "event: commit", "id: <version>", "data: {...}", ": heartbeat" comments,
// "event: checkpoint" (no id; handed to WatchOptions.OnCheckpoint, else skipped), and "event: lagged" before the
// server drops a subscriber that fell behind. Parsed with the BCL's
// System.Net.ServerSentEvents.SseParser.
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Registry.Client.Internal;
using Registry.Client.Models;
using Registry.Core.Transparency;

namespace Registry.Client;

public sealed partial class RegistryClient
{
    /// <summary>
    /// One connection to <c>GET /registry/stream</c>: commits after <paramref name="lastEventId"/> (from history,
    /// then live), or live ones only when it is null. Ends when the server closes the stream; throws
    /// <see cref="RegistryClientErrorCodes.Lagged"/> when the server dropped this subscriber. Does not
    /// reconnect: use <see cref="WatchAsync"/> for that.
    /// </summary>
    public IAsyncEnumerable<CommitEvent> StreamAsync(long? lastEventId = null, CancellationToken cancellationToken = default) =>
        StreamCoreAsync(lastEventId, Timeout.InfiniteTimeSpan, cancellationToken);

    internal async IAsyncEnumerable<CommitEvent> StreamCoreAsync(long? lastEventId, TimeSpan idleTimeout, [EnumeratorCancellation] CancellationToken cancellationToken, Action<SignedNote>? onCheckpoint = null)
    {
        HttpRequestMessage Build()
        {
            var request = new HttpRequestMessage(HttpMethod.Get, Url("/registry/stream"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            if (lastEventId is { } id)
            {
                request.Headers.Add("Last-Event-ID", id.ToString(CultureInfo.InvariantCulture));
            }

            return request;
        }

        using var response = await SendRawAsync(Build, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw await HttpErrors.ToExceptionAsync(response, cancellationToken);
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var stream = idleTimeout == Timeout.InfiniteTimeSpan ? body : new IdleTimeoutStream(body, idleTimeout);
        await foreach (var item in ReadItemsAsync(stream, cancellationToken))
        {
            switch (item.EventType)
            {
                case "commit":
                    using (var document = Wire.Parse(System.Text.Encoding.UTF8.GetBytes(item.Data), "stream"))
                    {
                        yield return Wire.Read("stream commit", () => CommitEvent.FromJson(document.RootElement));
                    }

                    break;
                case "checkpoint" when onCheckpoint is not null:
                    onCheckpoint(Wire.Read("stream checkpoint", () => CheckpointNote(item.Data)));
                    break;
                case "lagged":
                    throw new RegistryClientException(RegistryClientErrorCodes.Lagged, "The server dropped this stream subscriber because it fell behind; resume from the last version seen.");
                default:
                    // Unknown event types are for newer clients.
                    break;
            }
        }
    }

    /// <summary>SSE items; a connection that breaks mid-stream becomes Unreachable.</summary>
    private static async IAsyncEnumerable<SseItem<string>> ReadItemsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var items = SseParser.Create(stream).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or TimeoutException or JsonException)
            {
                throw new RegistryClientException(RegistryClientErrorCodes.Unreachable, $"The stream broke: {ex.Message}", innerException: ex);
            }

            if (!more)
            {
                yield break;
            }

            yield return items.Current;
        }
    }

    // data: {"note":"<signed note>","root":"sha256:…","size":N}; the note is what matters (it carries size and root).
    private static SignedNote CheckpointNote(string data)
    {
        using var document = Wire.Parse(System.Text.Encoding.UTF8.GetBytes(data), "stream");
        var text = document.RootElement.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String ? note.GetString() : null;
        return text is not null && SignedNote.TryParse(System.Text.Encoding.UTF8.GetBytes(text), out var parsed)
            ? parsed
            : throw new FormatException("a checkpoint frame's 'note' is not a signed note");
    }
}
