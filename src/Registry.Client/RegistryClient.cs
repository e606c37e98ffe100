// The .NET SDK for svc-registry (SPEC §2 and §7). One method per endpoint, built on HttpClient; errors
// are RegistryClientException carrying the RFC 9457 problem's stable code. Requests answered 429 Busy or
// 503 NotReady/ReadOnly wrote nothing (SPEC §2), so every request, writes included, is retried on them,
// honouring Retry-After up to RegistryClientOptions.MaxRetries times.
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Registry.Client.Internal;

namespace Registry.Client;

/// <summary>
/// A typed async client for every svc-registry API endpoint: reads (head, snapshots, descriptors with
/// proofs, the log), writes (propose, approve, commit), the proposal listing, the commit stream and a
/// resilient <see cref="WatchAsync"/>, plus chain verification.
/// </summary>
/// <remarks>
/// Thread-safe: one instance may serve concurrent calls (it holds no per-call state). It does not own the
/// <see cref="HttpClient"/>; register it with <c>services.AddRegistryClient(...)</c> to get one from
/// <c>IHttpClientFactory</c>.
/// </remarks>
public sealed partial class RegistryClient
{
    private readonly HttpClient _http;
    private readonly RegistryClientOptions _options;
    private readonly Uri _base;

    /// <summary>Creates a client over <paramref name="httpClient"/> (its <c>BaseAddress</c> is used when the options name none).</summary>
    public RegistryClient(HttpClient httpClient, RegistryClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _http = httpClient;
        _options = options ?? new RegistryClientOptions();
        _base = _options.BaseAddress ?? httpClient.BaseAddress
            ?? throw new ArgumentException("Set RegistryClientOptions.BaseAddress or HttpClient.BaseAddress to the API listener (e.g. http://127.0.0.1:9444).", nameof(options));
        if (!_base.IsAbsoluteUri)
        {
            throw new ArgumentException($"The base address '{_base}' must be absolute.", nameof(options));
        }
    }

    /// <summary>The constructor dependency injection uses (typed client of <c>IHttpClientFactory</c>).</summary>
    [ActivatorUtilitiesConstructor]
    public RegistryClient(HttpClient httpClient, IOptions<RegistryClientOptions> options)
        : this(httpClient, options?.Value)
    {
    }

    /// <summary>The API listener this client talks to.</summary>
    public Uri BaseAddress => _base;

    private Uri Url(string relative) => new(_base, relative);

    /// <summary>
    /// Sends a request, retrying 429/503, and returns the success body; any other status becomes a
    /// <see cref="RegistryClientException"/>. A write answered 421 NotPrimary by a replica is sent once more, to the
    /// primary the replica names (<see cref="RegistryClientOptions.FollowNotPrimary"/>); reads stay on the node given.
    /// </summary>
    private async Task<byte[]> SendAsync(HttpMethod method, string path, byte[]? body, bool authorize, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var url = Url(path);
        var response = await SendRawAsync(() => Build(method, url, body, authorize), HttpCompletionOption.ResponseContentRead, cancellationToken);
        try
        {
            if (response.StatusCode == HttpStatusCode.MisdirectedRequest && method != HttpMethod.Get && _options.FollowNotPrimary
                && await HttpErrors.PrimaryOfAsync(response, cancellationToken) is { } primary)
            {
                response.Dispose();
                url = new Uri(primary, path);
                response = await SendRawAsync(() => Build(method, url, body, authorize), HttpCompletionOption.ResponseContentRead, cancellationToken);
            }

            if (response.StatusCode != expected)
            {
                throw await HttpErrors.ToExceptionAsync(response, cancellationToken);
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        finally
        {
            response.Dispose();
        }
    }

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, byte[]? body, bool authorize, HttpStatusCode expected, CancellationToken cancellationToken) =>
        Wire.Parse(await SendAsync(method, path, body, authorize, expected, cancellationToken), $"{method} {path}");

    /// <summary>Sends with retries on 429/503; returns the final response (the caller disposes it).</summary>
    internal async Task<HttpResponseMessage> SendRawAsync(Func<HttpRequestMessage> build, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = build();
            var response = await HttpErrors.SendAsync(_http, request, completion, cancellationToken);
            if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt >= _options.MaxRetries)
            {
                return response;
            }

            var delay = HttpErrors.RetryDelay(response, attempt, _options.MaxRetryDelay);
            response.Dispose();
            await Task.Delay(delay, cancellationToken);
        }
    }

    private HttpRequestMessage Build(HttpMethod method, Uri url, byte[]? body, bool authorize)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        if (authorize && !string.IsNullOrEmpty(_options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        }

        return request;
    }
}
