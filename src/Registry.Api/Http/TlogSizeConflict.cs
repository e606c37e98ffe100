using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Registry.Api.Http;

/// <summary>409 Conflict with the witness's stored size in the C2SP <c>text/x.tlog.size</c> body.</summary>
public sealed class TlogSizeConflict(long size) : IResult
{
    /// <summary>The size of the latest checkpoint the witness cosigned for the origin.</summary>
    public long Size { get; } = size;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var bytes = Encoding.ASCII.GetBytes(Size.ToString(CultureInfo.InvariantCulture) + "\n");
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status409Conflict;
        response.ContentType = Endpoints.WitnessEndpoints.SizeMediaType;
        response.Headers.CacheControl = "no-store";
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes).AsTask();
    }
}
