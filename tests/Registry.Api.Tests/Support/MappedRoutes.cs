using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Registry.Api.Hosting;

namespace Registry.Api.Tests.Support;

/// <summary>
/// The routes the service maps on each listener, read in process from the same composition root the executable runs
/// (<see cref="RegistryApplication.Build"/>; nothing is bound or started): (method, path with parameters as
/// <c>{name}</c>), the document's own route left out.
/// </summary>
internal static class MappedRoutes
{
    public static async Task<HashSet<(string Method, string Path)>> OfAsync(Listener listener, string[]? args = null)
    {
        var (start, exit) = await ServiceStart.PrepareAsync(args ?? ["--amnesia"]);
        Assert.True(start is not null, $"the configuration did not load (exit {exit})");
        await using (start)
        {
            await using var service = RegistryApplication.Build(start);
            var endpoints = service.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
            var routes = new HashSet<(string, string)>();
            foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<ListenerMetadata>()?.Listener == listener))
            {
                var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(Segment));
                if (path == "/openapi/{documentName}.json")
                {
                    continue;
                }

                // An endpoint without method metadata (prometheus-net's /metrics) answers every method: GET stands for it.
                foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                {
                    routes.Add((method, path));
                }
            }

            return routes;
        }
    }

    private static string Segment(RoutePatternPathSegment segment) =>
        string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException($"unexpected route part {part}"),
        }));
}
