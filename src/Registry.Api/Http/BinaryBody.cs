using Microsoft.AspNetCore.Http;

namespace Registry.Api.Http;

/// <summary>A response with a prepared non-JSON body (a signed note, a tile), its media type and caching header.</summary>
public sealed class BinaryBody(ReadOnlyMemory<byte> body, string contentType, string cacheControl) : IResult
{
    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        response.Headers.CacheControl = cacheControl;
        response.ContentLength = Body.Length;
        return response.Body.WriteAsync(Body).AsTask();
    }
}
