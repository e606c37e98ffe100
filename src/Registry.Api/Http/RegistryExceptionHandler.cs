using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Registry.Core;

namespace Registry.Api.Http;

/// <summary>
/// The <see cref="IExceptionHandler"/> behind ASP.NET Core's exception handler middleware: a framework
/// <see cref="BadHttpRequestException"/> (bad request line or headers, body over <c>limits.max_body_bytes</c>) becomes
/// the problem of its status (413 <c>PayloadTooLarge</c>, 400 <c>Malformed</c>, …); anything else is a bug: 500
/// <c>Internal</c>, logged with the request's corr_id. A request the client aborted is left to the middleware,
/// which answers nothing.
/// </summary>
public sealed partial class RegistryExceptionHandler(ILogger<RegistryExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is BadHttpRequestException bad)
        {
            var code = bad.StatusCode == 413 ? RegistryErrorCode.PayloadTooLarge : Problem.CodeOfStatus(bad.StatusCode);
            await new Problem(code, bad.Message).ExecuteAsync(httpContext);
            return true;
        }

        LogUnhandled(logger, CorrelationId.Of(httpContext), exception);
        await new InternalProblem().ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "unhandled error corr_id={CorrId}")]
    private static partial void LogUnhandled(ILogger logger, string corrId, Exception exception);
}
