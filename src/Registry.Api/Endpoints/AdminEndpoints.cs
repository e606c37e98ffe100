using System.Reflection;
using Prometheus;
using Registry.Api.Hosting;
using Registry.Api.Http;
using Registry.Api.Metrics;
using Registry.Api.ReadPlane;
using Registry.Api.Replication;
using Registry.Core.Json;

namespace Registry.Api.Endpoints;

/// <summary>Build facts reported by <c>/version</c>.</summary>
public sealed record ServiceFeatures(bool Amnesia, bool ReadOnly, bool Tls);

/// <summary>The admin listener: <c>/healthz</c>, <c>/readyz</c>, <c>/version</c>, <c>/metrics</c>.</summary>
public static class AdminEndpoints
{
    /// <summary>The <c>schema</c> reported by <c>/version</c>: the on-disk and wire format generation.</summary>
    public const int Schema = 1;

    /// <summary>Maps the admin routes.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => new JsonBytes("{\"status\":\"ok\"}"u8.ToArray()));
        app.MapGet("/readyz", GetReady);
        app.MapGet("/version", GetVersion);
        app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<RegistryMetrics>().Registry);
        return app;
    }

    /// <summary><c>GET /readyz</c>: 200 when reads can be served (write readiness reported inside), else 503.</summary>
    public static JsonBytes GetReady(Readiness readiness, RegistryView view, ReplicaRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(readiness);
        var missing = readiness.Missing(forWrites: true).ToList();
        var ready = readiness.Ready;
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        if (role.Ha is { } ha)
        {
            writer.WritePropertyName("ha");
            ha.Status.WriteTo(writer, ha.EventCount);
        }

        writer.WritePropertyName("hash");
        if (view.HasState)
        {
            writer.WriteString(view.Current.State.HeadHash.ToString());
        }
        else
        {
            writer.WriteNull();
        }

        writer.WritePropertyName("missing");
        writer.WriteStartArray();
        foreach (var part in missing)
        {
            writer.WriteString(part);
        }

        writer.WriteEndArray();
        writer.WriteBoolean("ready", ready);
        if (role.Replica is { } replica)
        {
            writer.WritePropertyName("replica");
            replica.WriteTo(writer);
        }

        writer.WritePropertyName("version");
        if (view.HasState)
        {
            writer.WriteInteger(view.Current.State.Version);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteBoolean("write_ready", readiness.WriteReady);
        writer.WriteEndObject();
        return new JsonBytes(writer.ToArray(), ready ? 200 : 503, cacheControl: "no-store");
    }

    /// <summary><c>GET /version</c>.</summary>
    public static JsonBytes GetVersion(ServiceFeatures features, ReplicaRole role)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(role);
        var informational = typeof(AdminEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("commit", plus >= 0 ? informational[(plus + 1)..] : "unknown");
        writer.WritePropertyName("features");
        writer.WriteStartObject();
        writer.WriteBoolean("amnesia", features.Amnesia);
        writer.WriteBoolean("read_only", features.ReadOnly);
        writer.WriteBoolean("tls", features.Tls);
        writer.WriteEndObject();
        if (role.Replica is { } replica)
        {
            writer.WritePropertyName("replica");
            replica.WriteTo(writer);
        }

        writer.WriteString("role", role.Name);
        writer.WriteInteger("schema", Schema);
        writer.WriteString("service", "svc-registry");
        writer.WriteString("version", plus >= 0 ? informational[..plus] : informational);
        writer.WriteEndObject();
        return new JsonBytes(writer.ToArray());
    }

    private static void WriteBoolean(this CanonicalJsonWriter writer, string name, bool value)
    {
        writer.WritePropertyName(name);
        writer.WriteBoolean(value);
    }
}
