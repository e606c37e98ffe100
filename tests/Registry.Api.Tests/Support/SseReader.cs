using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Registry.Api.Tests.Support;

/// <summary>Reads a /registry/stream response with the BCL's SSE parser.</summary>
internal sealed class SseReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private SseReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
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

    /// <summary>The next event (type, id, data), or null when the stream ends.</summary>
    public async Task<(string Type, long Version, JsonElement Data)?> NextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        if (!await _items.MoveNextAsync().AsTask().WaitAsync(cancel.Token))
        {
            return null;
        }

        var item = _items.Current;
        var data = JsonDocument.Parse(item.Data).RootElement.Clone();
        var version = item.EventType == "commit" ? data.GetProperty("version").GetInt64() : -1;
        return (item.EventType, version, data);
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        await _items.DisposeAsync();
    }
}
