using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Metrics;
using Registry.Core;

namespace Registry.Api.Http;

/// <summary>
/// The in-flight cap of the API listener (<c>limits.max_inflight</c>) on ASP.NET Core's rate limiter: one
/// concurrency limiter, no queue; a request over the cap gets 429 <c>Busy</c> with <c>Retry-After</c> and counts in
/// <c>rejected_total{reason="busy"}</c>. A reloaded cap (SIGHUP) takes a new partition, so it applies at once; the
/// requests holding the old one finish under it.
/// </summary>
public static class InflightLimiter
{
    /// <summary>Registers the limiter; the API pipeline turns it on with <c>UseRateLimiter()</c>.</summary>
    public static IServiceCollection AddRegistryInflightLimit(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, int>(context =>
            {
                var cap = context.RequestServices.GetRequiredService<Limits>().MaxInflight;
                return RateLimitPartition.GetConcurrencyLimiter(cap, permits => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 });
            });
            options.OnRejected = (rejected, _) =>
            {
                var context = rejected.HttpContext;
                context.RequestServices.GetRequiredService<RegistryMetrics>().Rejected("busy");
                var cap = context.RequestServices.GetRequiredService<Limits>().MaxInflight;
                return new ValueTask(new Problem(RegistryErrorCode.Busy, $"{cap} requests are in flight.").ExecuteAsync(context));
            };
        });
}
