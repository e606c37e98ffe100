using Microsoft.AspNetCore.Http;

namespace Registry.Api.Http;

/// <summary>304 Not Modified with the ETag and caching headers repeated, no body.</summary>
public sealed class NotModified(string etag, string cacheControl) : IResult
{
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = 304;
        httpContext.Response.Headers.ETag = etag;
        httpContext.Response.Headers.CacheControl = cacheControl;
        return Task.CompletedTask;
    }
}
