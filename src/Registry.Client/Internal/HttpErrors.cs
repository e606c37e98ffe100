using System.Net;
using System.Text.Json;
using Registry.Core;

namespace Registry.Client.Internal;

/// <summary>Turns transport failures and RFC 9457 problem responses into <see cref="RegistryClientException"/>.</summary>
internal static class HttpErrors
{
    /// <summary>Sends; a transport failure or a timeout (not the caller's cancellation) becomes Unreachable.</summary>
    /// <remarks>
    /// SocketsHttpHandler lets a raw <see cref="System.Net.Sockets.SocketException"/> through when a connection is reset
    /// right after it was accepted ("Transport endpoint is not connected", seen through a proxy that drops
    /// connections): a transport failure like any other.
    /// </remarks>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException or IOException)
        {
            throw new RegistryClientException(RegistryClientErrorCodes.Unreachable, $"{request.Method} {request.RequestUri}: {ex.Message}", innerException: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryClientException(RegistryClientErrorCodes.Unreachable, $"{request.Method} {request.RequestUri}: timed out after {http.Timeout.TotalSeconds:0.#} s.", innerException: ex);
        }
    }

    /// <summary>The problem in an error response, as an exception.</summary>
    public static async Task<RegistryClientException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var retryAfter = RetryAfter(response);
        var corrId = response.Headers.TryGetValues("X-Corr-ID", out var values) ? values.FirstOrDefault() : null;
        var where = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new RegistryClientException(RegistryClientErrorCodes.Unreachable, $"{where}: {status}, and the body was cut off ({ex.Message}).", status, corrId, retryAfter, ex);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
            {
                var detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (root.TryGetProperty("corr_id", out var c) && c.ValueKind == JsonValueKind.String)
                {
                    corrId = c.GetString();
                }

                return new RegistryClientException(code.GetString()!, $"{code.GetString()}: {detail ?? response.ReasonPhrase} ({where})", status, corrId, retryAfter);
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's HTML page, say): described by its status below.
        }

        return new RegistryClientException(CodeOfStatus(status), $"{where}: HTTP {status} {response.ReasonPhrase} without a problem body.", status, corrId, retryAfter);
    }

    /// <summary>
    /// The primary a replica's 421 NotPrimary names (its problem's <c>primary</c> member: an absolute http(s) URL), or
    /// null. The body stays readable for <see cref="ToExceptionAsync"/>.
    /// </summary>
    public static async Task<Uri?> PrimaryOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("code", out var code) && code.ValueEquals(nameof(RegistryErrorCode.NotPrimary))
                && document.RootElement.TryGetProperty("primary", out var primary) && primary.ValueKind == JsonValueKind.String
                && Uri.TryCreate(primary.GetString(), UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
                ? url
                : null;
        }
        catch (JsonException)
        {
            // Not a problem document: there is no primary to follow, and the caller reports the 421 as it is.
            return null;
        }
    }

    /// <summary>How long to wait before retry <paramref name="attempt"/> (0-based).</summary>
    public static TimeSpan RetryDelay(HttpResponseMessage response, int attempt, TimeSpan max)
    {
        var backoff = TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, 100 * Math.Pow(2, attempt)));
        var delay = RetryAfter(response) ?? backoff;
        return delay > max ? max : delay;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    private static string CodeOfStatus(int status) => status switch
    {
        400 => nameof(RegistryErrorCode.Malformed),
        401 => nameof(RegistryErrorCode.Unauthorized),
        403 => nameof(RegistryErrorCode.Forbidden),
        404 => nameof(RegistryErrorCode.NotFound),
        405 => nameof(RegistryErrorCode.MethodNotAllowed),
        413 => nameof(RegistryErrorCode.PayloadTooLarge),
        415 => nameof(RegistryErrorCode.UnsupportedMediaType),
        421 => nameof(RegistryErrorCode.NotPrimary),
        429 => nameof(RegistryErrorCode.Busy),
        503 => nameof(RegistryErrorCode.NotReady),
        _ when status >= 500 => RegistryClientErrorCodes.Unreachable,
        _ => RegistryClientErrorCodes.InvalidResponse,
    };
}
