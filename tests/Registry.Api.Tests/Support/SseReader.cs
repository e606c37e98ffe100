using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Registry.Api.Tests.Support;

/// <summary>Reads a /registry/stream response with the BCL's SSE parser.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly SseParser<string> _parser;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _parser = SseParser.Create(body);
        _items = _parser.EnumerateAsync().GetAsyncEnumerator();
    }

    public static async Task<SseReader> OpenAsync(HttpClient client, long? lastEventId = null, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/registry/stream" + query);
        if (lastEventId is { } id)
        {
            request.Headers.Add("Last-Event-ID", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return new SseReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>
    /// The next event (type, id, data), or null when the stream ends. <c>event: checkpoint</c> frames are skipped, as
    /// every commit consumer skips them, unless <paramref name="checkpoints"/>.
    /// </summary>
    public async Task<(string Type, long Version, JsonElement Data)?> NextAsync(TimeSpan timeout, bool checkpoints = false)
    {
        using var cancel = new CancellationTokenSource(timeout);
        SseItem<string> item;
        do
        {
            if (!await _items.MoveNextAsync().AsTask().WaitAsync(cancel.Token))
            {
                return null;
            }

            item = _items.Current;
        }
        while (item.EventType == "checkpoint" && !checkpoints);

        var data = JsonDocument.Parse(item.Data).RootElement.Clone();
        var version = item.EventType == "commit" ? data.GetProperty("version").GetInt64() : -1;
        return (item.EventType, version, data);
    }

    /// <summary>The stream's Last-Event-ID as the parser tracks it (what a browser would resume from).</summary>
    public string LastEventId => _parser.LastEventId;

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        await _items.DisposeAsync();
    }
}
