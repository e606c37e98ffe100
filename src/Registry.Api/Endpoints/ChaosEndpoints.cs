using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Auth;
using Registry.Api.Http;
using Registry.Api.Storage;
using Registry.Core;
using Registry.Core.Json;

namespace Registry.Api.Endpoints;

/// <summary>
/// <c>POST /admin/chaos</c> <c>{"fault":"storage-latency","ms":N}</c> and <c>DELETE /admin/chaos</c> on the
/// admin listener, mapped only when <c>[chaos] enabled = true</c> (404 otherwise), for the runbook's drills.
/// Every method, <c>GET</c> included, needs a capability with the scope <c>registry:admin</c>.
/// </summary>
public static class ChaosEndpoints
{
    /// <summary>Maps the chaos routes.</summary>
    public static RouteGroupBuilder MapChaos(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/chaos");
        group.RequireCapability(BackupEndpoints.AdminScope);
        group.MapGet(string.Empty, (IStorageFaults faults) => new JsonBytes(Describe(faults)));
        group.MapPost(string.Empty, InjectAsync);
        group.MapDelete(string.Empty, (IStorageFaults faults) =>
        {
            faults.Clear();
            return new JsonBytes(Describe(faults));
        });
        return group;
    }

    /// <summary>Injects a fault.</summary>
    public static async Task<Results<JsonBytes, Problem>> InjectAsync(HttpContext context, IStorageFaults faults)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(faults);
        var (document, problem) = await JsonBody.ReadAsync(context, 4096);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            var ok = root.ValueKind == System.Text.Json.JsonValueKind.Object
                && root.TryGetProperty("fault", out var fault) && fault.ValueKind == System.Text.Json.JsonValueKind.String && fault.GetString() == "storage-latency"
                && root.TryGetProperty("ms", out var ms) && ms.ValueKind == System.Text.Json.JsonValueKind.Number && ms.GetInt64() is >= 0 and <= 60_000
                && root.EnumerateObject().Count() == 2;
            if (!ok)
            {
                return new Problem(RegistryErrorCode.Malformed, "Expected {\"fault\":\"storage-latency\",\"ms\":0..60000}.");
            }

            faults.InjectLatency(TimeSpan.FromMilliseconds(root.GetProperty("ms").GetInt64()));
        }

        return new JsonBytes(Describe(faults));
    }

    private static byte[] Describe(IStorageFaults faults)
    {
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        if (faults.AppendLatency > TimeSpan.Zero)
        {
            writer.WriteString("fault", "storage-latency");
            writer.WriteInteger("ms", (long)faults.AppendLatency.TotalMilliseconds);
        }
        else
        {
            writer.WritePropertyName("fault");
            writer.WriteNull();
        }

        writer.WriteEndObject();
        return writer.ToArray();
    }
}
