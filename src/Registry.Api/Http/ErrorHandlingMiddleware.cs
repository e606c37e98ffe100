using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Registry.Core;

namespace Registry.Api.Http;

/// <summary>
/// Makes every error a <see cref="Problem"/>: exceptions from the framework (bad request line, body too
/// large) and bare status codes from routing (404, 405) become problem documents with a code; an
/// unexpected exception becomes a 500 with code <c>Internal</c> and is logged with its corr_id.
/// </summary>
public sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    /// <summary>Runs the pipeline.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var code = ex.StatusCode == 413 ? RegistryErrorCode.PayloadTooLarge : Problem.CodeOfStatus(ex.StatusCode);
            await new Problem(code, ex.Message).ExecuteAsync(context);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
            return;
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            LogUnhandled(logger, CorrelationId.Of(context), ex);
            context.Response.StatusCode = 500;
            await new InternalProblem().ExecuteAsync(context);
            return;
        }

        var status = context.Response.StatusCode;
        if (status >= 400 && !context.Response.HasStarted && context.Response.ContentType is null)
        {
            var detail = status switch
            {
                404 => $"No resource at {context.Request.Path}.",
                405 => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
                _ => $"The request failed with status {status}.",
            };
            await new Problem(Problem.CodeOfStatus(status), detail).ExecuteAsync(context);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "unhandled error corr_id={CorrId}")]
    private static partial void LogUnhandled(ILogger logger, string corrId, Exception exception);

    private sealed class InternalProblem : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/problem+json";
            var body = "{\"code\":\"Internal\",\"corr_id\":\"" + CorrelationId.Of(httpContext)
                + "\",\"detail\":\"Internal error; see the service log for this corr_id.\",\"status\":500,\"title\":\"Internal error\",\"type\":\"urn:svc-registry:problem:Internal\"}";
            return httpContext.Response.WriteAsync(body);
        }
    }
}
