using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Registry.LoadTest.Clients;

/// <summary>
/// etcd through its HTTP/JSON gateway (the v3 API over JSON: keys and values base64, numbers as strings), so
/// both systems are driven by the same HTTP client. Thread-safe.
/// </summary>
public sealed class EtcdClient : IDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private readonly HttpClient _http;

    /// <summary>Creates a client with up to <paramref name="connections"/> connections.</summary>
    public EtcdClient(Uri baseAddress, int connections) => _http = HttpClients.Create(baseAddress, connections);

    /// <summary>The underlying HttpClient (watch streams).</summary>
    public HttpClient Http => _http;

    /// <summary>Puts a key; returns the revision it created.</summary>
    public async Task<long> PutAsync(byte[] key, byte[] value, CancellationToken cancellationToken = default)
    {
        using var json = await PostAsync("/v3/kv/put", $$"""{"key":"{{B64(key)}}","value":"{{B64(value)}}"}""", cancellationToken);
        return Number(json.RootElement.GetProperty("header"), "revision");
    }

    /// <summary>Puts every pair in one txn (one revision, like one registry commit); returns that revision.</summary>
    public async Task<long> PutAllAsync(IEnumerable<(byte[] Key, byte[] Value)> pairs, CancellationToken cancellationToken = default)
    {
        var puts = string.Join(",", pairs.Select(p => $$$"""{"request_put":{"key":"{{{B64(p.Key)}}}","value":"{{{B64(p.Value)}}}"}}"""));
        using var json = await PostAsync("/v3/kv/txn", $$"""{"success":[{{puts}}]}""", cancellationToken);
        return Number(json.RootElement.GetProperty("header"), "revision");
    }

    /// <summary>A serializable range of one key: its mod revision (0 when absent) and the store's revision.</summary>
    public async Task<(long ModRevision, long Revision)> GetAsync(byte[] key, CancellationToken cancellationToken = default)
    {
        using var json = await PostAsync("/v3/kv/range", $$"""{"key":"{{B64(key)}}","serializable":true}""", cancellationToken);
        var root = json.RootElement;
        var mod = root.TryGetProperty("kvs", out var kvs) && kvs.GetArrayLength() > 0 ? Number(kvs[0], "mod_revision") : 0;
        return (mod, Number(root.GetProperty("header"), "revision"));
    }

    /// <summary>
    /// Compare-and-swap: a txn that puts <paramref name="value"/> only if the key's mod revision is still
    /// <paramref name="modRevision"/> (0: the key must not exist). True when it succeeded.
    /// </summary>
    public async Task<bool> CasAsync(byte[] key, long modRevision, byte[] value, CancellationToken cancellationToken = default)
    {
        var k = B64(key);
        var body = $$$"""{"compare":[{"key":"{{{k}}}","target":"MOD","result":"EQUAL","mod_revision":"{{{modRevision.ToString(CultureInfo.InvariantCulture)}}}"}],"success":[{"request_put":{"key":"{{{k}}}","value":"{{{B64(value)}}}"}}]}""";
        using var json = await PostAsync("/v3/kv/txn", body, cancellationToken);
        return json.RootElement.TryGetProperty("succeeded", out var ok) && ok.GetBoolean();
    }

    /// <summary>Base64 (the gateway's encoding of bytes).</summary>
    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes);

    /// <summary>The first key after every key with this prefix (a range_end).</summary>
    public static byte[] PrefixEnd(byte[] prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var end = (byte[])prefix.Clone();
        end[^1]++;
        return end;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> PostAsync(string path, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = s_json;
        using var response = await _http.PostAsync(path, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    private static long Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : 0;
}
