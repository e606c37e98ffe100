using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.ReadPlane;
using Registry.Core;

namespace Registry.Api.Http;

/// <summary>
/// Both listeners are bound before storage is recovered (so <c>/readyz</c> can report progress); until the recovered
/// HEAD is published, every API route answers 503 <c>NotReady</c> with <c>Retry-After</c> instead of reading a state
/// that does not exist yet.
/// </summary>
public static class RecoveredFilter
{
    /// <summary>Adds the check to every endpoint of <paramref name="builder"/>.</summary>
    public static TBuilder RequireRecovered<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<RegistryView>().HasState
                ? await next(context)
                : new Problem(RegistryErrorCode.NotReady, "Recovery has not finished."));
}
