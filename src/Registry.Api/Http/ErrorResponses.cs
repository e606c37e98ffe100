using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Registry.Api.Http;

/// <summary>
/// Every error is a <see cref="Problem"/> (RFC 9457, SPEC §2 codes): exceptions through ASP.NET Core's exception
/// handler and <see cref="RegistryExceptionHandler"/>, and the framework's own bare status codes (404 and 405 from
/// routing, 413, 415 …) through status-code pages, which write the problem of the status.
/// </summary>
public static class ErrorResponses
{
    /// <summary>Registers the exception handler.</summary>
    public static IServiceCollection AddRegistryErrors(this IServiceCollection services) =>
        services.AddExceptionHandler<RegistryExceptionHandler>().AddProblemDetails();

    /// <summary>The exception handler and status-code pages, for one listener's pipeline.</summary>
    public static IApplicationBuilder UseRegistryErrors(this IApplicationBuilder app) =>
        app.UseExceptionHandler().UseStatusCodePages(context => WriteStatusProblemAsync(context.HttpContext));

    /// <summary>The problem for a response that has a status of 400-599 but no body yet.</summary>
    public static Task WriteStatusProblemAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = context.Response.StatusCode;
        if (status == 500)
        {
            return new InternalProblem().ExecuteAsync(context);
        }

        var detail = status switch
        {
            404 => $"No resource at {context.Request.Path}.",
            405 => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
            _ => $"The request failed with status {status}.",
        };
        return new Problem(Problem.CodeOfStatus(status), detail).ExecuteAsync(context);
    }
}
