using Microsoft.AspNetCore.Http;

namespace Registry.Api.Http;

/// <summary>500 <c>Internal</c>: a bug. The body names the corr_id under which the log line holds the stack trace.</summary>
public sealed class InternalProblem : IResult
{
    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = 500;
        response.ContentType = "application/problem+json";
        response.Headers.CacheControl = "no-store";
        var body = "{\"code\":\"Internal\",\"corr_id\":\"" + CorrelationId.Of(httpContext)
            + "\",\"detail\":\"Internal error; see the service log for this corr_id.\",\"status\":500,\"title\":\"Internal error\",\"type\":\"urn:svc-registry:problem:Internal\"}";
        return response.WriteAsync(body);
    }
}
