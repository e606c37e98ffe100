using Microsoft.AspNetCore.Http;

namespace Registry.Api.Http;

/// <summary>A response whose JSON body is already serialised (canonical JSON), with optional caching headers.</summary>
/// <remarks><paramref name="gzip"/>, when given, supplies the compressed body for a request that accepts gzip (called only then).</remarks>
public sealed class JsonBytes(ReadOnlyMemory<byte> body, int status = 200, string? etag = null, string? cacheControl = null, Func<byte[]>? gzip = null) : IResult
{
    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <summary>The status code.</summary>
    public int Status { get; } = status;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "application/json";
        if (etag is not null)
        {
            response.Headers.ETag = etag;
        }

        response.Headers.CacheControl = cacheControl ?? "no-cache";
        var body = Body;
        if (gzip is not null)
        {
            response.Headers.Vary = "Accept-Encoding";
            if (httpContext.Request.Headers.AcceptEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.ContentEncoding = "gzip";
                body = gzip();
            }
        }

        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>304 when the request's <c>If-None-Match</c> names <paramref name="etag"/>.</summary>
    public static bool NotModified(HttpRequest request, string etag)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.IfNoneMatch.ToString();
        return header.Length > 0 && (header == "*" || header.Split(',').Any(t => t.Trim() == etag || t.Trim() == "W/" + etag));
    }
}
