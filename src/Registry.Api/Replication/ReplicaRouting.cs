using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Http;
using Registry.Core;

namespace Registry.Api.Replication;

/// <summary>
/// The HTTP side of roles: on a replica every write answers 421 <c>NotPrimary</c> naming the primary (SPEC §2, §9) and
/// every API response carries <c>X-Registry-Primary</c>, so a replica following this one learns where writes go; on every
/// node every API response carries <c>X-Registry-Role</c>, which <c>ronctl replica promote</c> reads from the old primary.
/// The role is read per request: a promotion or demotion takes effect on the next request.
/// </summary>
public static class ReplicaRouting
{
    /// <summary>The header naming the primary on a replica's API responses.</summary>
    public const string PrimaryHeader = "X-Registry-Primary";

    /// <summary>
    /// The header naming this node's role on every API response: <c>primary</c> (takes writes), <c>read-only</c>
    /// (<c>--read-only</c>), <c>demoted</c> (<c>ronctl replica demote</c>) or <c>replica</c>.
    /// </summary>
    public const string RoleHeader = "X-Registry-Role";

    /// <summary>
    /// On a node that does not decide writes itself, answers every request of <paramref name="builder"/>'s endpoints that
    /// is not a GET or HEAD before its token or body is looked at: whatever the request, the answer is where to send it.
    /// A replica answers 421 NotPrimary naming its primary; an HA node that is not the elected writer answers 421 naming
    /// the writer, or 503 NotReady when none can be reached (<see cref="HighAvailability.HaRouting.Refusal"/>).
    /// </summary>
    public static TBuilder RefuseWritesOffTheWriter<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            {
                return await next(context);
            }

            var role = http.RequestServices.GetRequiredService<ReplicaRole>();
            if (role.Replica is { } replica)
            {
                return NotPrimary(replica);
            }

            return role.Ha is { Status: { Role: not HighAvailability.EtcdNodeRole.Writer } status }
                ? HighAvailability.HaRouting.Refusal(status)
                : await next(context);
        });

    /// <summary>Adds <see cref="RoleHeader"/> to every response of the pipeline, and on a replica <see cref="PrimaryHeader"/>.</summary>
    public static IApplicationBuilder UseReplicaHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var role = app.ApplicationServices.GetRequiredService<ReplicaRole>();
        var readiness = app.ApplicationServices.GetRequiredService<Hosting.Readiness>();
        return app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            if (role.Replica is { } replica)
            {
                headers[PrimaryHeader] = replica.Primary.ToString();
                headers[RoleHeader] = "replica";
            }
            else
            {
                headers[RoleHeader] = role.Demoted ? "demoted" : readiness.ReadOnly ? "read-only" : "primary";
            }

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
