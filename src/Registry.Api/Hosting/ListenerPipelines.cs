using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;

namespace Registry.Api.Hosting;

/// <summary>
/// One pipeline and one route table per <see cref="Listener"/>: the web application dispatches each request to the
/// pipeline of the listener that accepted its connection. Separate route tables (not one table filtered per request)
/// make a route of the other listener a plain 404 — never a 405 that would reveal it.
/// </summary>
internal static class ListenerPipelines
{
    /// <summary>Builds both listeners' pipelines and ends the application's pipeline with the dispatch to them.</summary>
    public static void RunListeners(this WebApplication app, Action<IApplicationBuilder> api, Action<IApplicationBuilder> admin)
    {
        ArgumentNullException.ThrowIfNull(app);
        var apiPipeline = Build(app, Listener.Api, api);
        var adminPipeline = Build(app, Listener.Admin, admin);
        app.Run(context => context.ListenerOf() == Listener.Admin ? adminPipeline(context) : apiPipeline(context));
    }

    /// <summary>Routing and the listener's endpoints, each tagged with <see cref="ListenerMetadata"/>.</summary>
    public static IApplicationBuilder UseListenerEndpoints(this IApplicationBuilder branch, Action<IEndpointRouteBuilder> map)
    {
        ArgumentNullException.ThrowIfNull(branch);
        ArgumentNullException.ThrowIfNull(map);
        var listener = (Listener)branch.Properties[nameof(Listener)]!;
        return branch.UseEndpoints(routes =>
        {
            var group = routes.MapGroup(string.Empty).WithMetadata(new ListenerMetadata(listener));
            if (listener != Listener.Api)
            {
                // The OpenAPI document describes the API listener only.
                group.ExcludeFromDescription();
            }

            map(group);
        });
    }

    private static RequestDelegate Build(WebApplication app, Listener listener, Action<IApplicationBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);

        // A fresh builder, not app.New(): that would share the web application's global route table.
        var branch = new ApplicationBuilder(app.Services);
        branch.Properties[nameof(Listener)] = listener;
        configure(branch);
        return branch.Build();
    }
}
