using Microsoft.AspNetCore.Http;

namespace Registry.Api.Hosting;

/// <summary>
/// The two listeners of the one web application: the API (reads, writes, the stream, the OpenAPI document) and the
/// admin listener (health, readiness, version, metrics, backup, chaos). Kestrel tags every connection with the
/// listener that accepted it (<see cref="ListenerSetup"/>); each listener has its own pipeline and route table
/// (<see cref="ListenerPipelines"/>), so a route of one is a 404 on the other.
/// </summary>
internal enum Listener
{
    /// <summary><c>listen.api_addr</c> / <c>listen.uds_path</c>.</summary>
    Api,

    /// <summary><c>listen.metrics_addr</c> / the admin Unix socket.</summary>
    Admin,
}

/// <summary>The connection feature naming the listener that accepted a connection.</summary>
internal sealed record ListenerFeature(Listener Listener);

/// <summary>Endpoint metadata: the listener an endpoint is mapped on.</summary>
internal sealed record ListenerMetadata(Listener Listener);

/// <summary>Reading the listener of a request.</summary>
internal static class ListenerExtensions
{
    /// <summary>The listener that accepted the request's connection.</summary>
    /// <exception cref="InvalidOperationException">The connection was not accepted by a tagged listener (a bug).</exception>
    public static Listener ListenerOf(this HttpContext context) =>
        context.Features.Get<ListenerFeature>()?.Listener ?? throw new InvalidOperationException("The connection carries no listener tag.");
}
