using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Http;
using Registry.Core;

namespace Registry.Api.Replication;

/// <summary>
/// The HTTP side of a replica: every write answers 421 <c>NotPrimary</c> naming the primary (SPEC §2, §9), and every API
/// response carries <c>X-Registry-Primary</c>, so a replica following this one learns where writes go.
/// </summary>
public static class ReplicaRouting
{
    /// <summary>The header naming the primary on a replica's API responses.</summary>
    public const string PrimaryHeader = "X-Registry-Primary";

    /// <summary>
    /// On a replica, answers every request of <paramref name="builder"/>'s endpoints that is not a GET or HEAD with 421
    /// NotPrimary, before its token or body is looked at: whatever the request, the answer is where to send it.
    /// </summary>
    public static TBuilder RefuseWritesOnReplica<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            return http.RequestServices.GetRequiredService<ReplicaRole>().Replica is { } replica
                && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
                ? NotPrimary(replica)
                : await next(context);
        });

    /// <summary>On a replica, adds <see cref="PrimaryHeader"/> to every response of the pipeline.</summary>
    public static IApplicationBuilder UseReplicaHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetRequiredService<ReplicaRole>().Replica is not { } replica)
        {
            return app;
        }

        return app.Use((context, next) =>
        {
            context.Response.Headers[PrimaryHeader] = replica.Primary.ToString();
            return next(context);
        });
    }

    /// <summary>421 NotPrimary with the primary's URL in the <c>primary</c> member.</summary>
    public static Problem NotPrimary(ReplicaStatus replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        var primary = replica.Primary.ToString();
        return new Problem(RegistryErrorCode.NotPrimary, $"This node is a read replica (following {replica.Upstream}); send writes to the primary at {primary}.")
        {
            Extensions = new Dictionary<string, string> { ["primary"] = primary },
        };
    }
}
