using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Auth;
using Registry.Api.Http;
using Registry.Api.ReadPlane;
using Registry.Api.Replication;
using Registry.Core;
using Registry.Core.Json;

namespace Registry.Api.Endpoints;

/// <summary>
/// The role endpoints of the admin listener (docs/REPLICATION.md "Promotion", docs/API.md):
/// <list type="bullet">
/// <item><c>GET /admin/replica</c> (public, like <c>/readyz</c>): <c>{hash, replica, role, version}</c>.</item>
/// <item><c>POST /admin/replica/demote</c> (scope <c>registry:admin</c>; no body or <c>{}</c>): this primary takes no more writes.</item>
/// <item><c>POST /admin/replica/promote</c> (scope <c>registry:admin</c>; no body, or <c>{"wait_seconds":0..300,"resume_demoted":bool}</c>):
/// this replica becomes the primary once the old primary is read-only, demoted or unreachable.</item>
/// </list>
/// Both changes answer 200 <c>{detail, hash, old_primary, old_primary_state, role, version}</c>, or 409
/// <c>RoleChangeRefused</c> with the members <c>reason</c>, <c>role</c> and, for a promotion, <c>old_primary</c> and
/// <c>old_primary_state</c>.
/// </summary>
public static class ReplicaEndpoints
{
    private const int DefaultWaitSeconds = 10;

    /// <summary>Maps the role routes.</summary>
    public static RouteGroupBuilder MapReplicaAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/admin/replica");
        group.MapGet(string.Empty, GetRole);
        group.MapPost("/demote", DemoteAsync).RequireCapability(BackupEndpoints.AdminScope);
        group.MapPost("/promote", PromoteAsync).RequireCapability(BackupEndpoints.AdminScope);
        return group;
    }

    /// <summary><c>GET /admin/replica</c>.</summary>
    public static JsonBytes GetRole(ReplicaRole role, RegistryView view)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(view);
        var head = view.Current.State;
        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("hash", head.HeadHash.ToString());
        writer.WritePropertyName("replica");
        if (role.Replica is { } replica)
        {
            replica.WriteTo(writer);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WriteString("role", role.Name);
        writer.WriteInteger("version", head.Version);
        writer.WriteEndObject();
        return new JsonBytes(writer.ToArray(), cacheControl: "no-store");
    }

    /// <summary><c>POST /admin/replica/demote</c>.</summary>
    internal static async Task<Results<JsonBytes, Problem>> DemoteAsync(HttpContext context, RoleTransitions transitions)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transitions);
        var (_, problem) = await ReadOptionsAsync(context, allowed: []);
        if (problem is not null)
        {
            return problem;
        }

        return Answer(await transitions.DemoteAsync(context.RequestAborted));
    }

    /// <summary><c>POST /admin/replica/promote</c>.</summary>
    internal static async Task<Results<JsonBytes, Problem>> PromoteAsync(HttpContext context, RoleTransitions transitions)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(transitions);
        var (body, problem) = await ReadOptionsAsync(context, allowed: ["resume_demoted", "wait_seconds"]);
        if (problem is not null)
        {
            return problem;
        }

        var wait = DefaultWaitSeconds;
        var resume = false;
        if (body is { } root)
        {
            if (root.TryGetProperty("wait_seconds", out var seconds))
            {
                if (seconds.ValueKind != JsonValueKind.Number || !seconds.TryGetInt32(out wait) || wait is < 0 or > 300)
                {
                    return new Problem(RegistryErrorCode.Malformed, "'wait_seconds' must be an integer from 0 to 300.");
                }
            }

            if (root.TryGetProperty("resume_demoted", out var flag))
            {
                if (flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return new Problem(RegistryErrorCode.Malformed, "'resume_demoted' must be true or false.");
                }

                resume = flag.GetBoolean();
            }
        }

        return Answer(await transitions.PromoteAsync(TimeSpan.FromSeconds(wait), resume, context.RequestAborted));
    }

    private static Results<JsonBytes, Problem> Answer(RoleChange change)
    {
        if (change.Refusal is { } refusal)
        {
            var members = new Dictionary<string, string>
            {
                ["reason"] = WireName(refusal),
                ["role"] = change.Role,
            };
            if (change.OldPrimary is { } url)
            {
                members["old_primary"] = url.ToString();
            }

            if (change.OldPrimaryState is { } state)
            {
                members["old_primary_state"] = state;
            }

            return new Problem(RegistryErrorCode.RoleChangeRefused, change.Detail) { Extensions = members };
        }

        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteString("detail", change.Detail);
        writer.WriteString("hash", change.Hash.ToString());
        WriteNullable(writer, "old_primary", change.OldPrimary?.ToString());
        WriteNullable(writer, "old_primary_state", change.OldPrimaryState);
        writer.WriteString("role", change.Role);
        writer.WriteInteger("version", change.Version);
        writer.WriteEndObject();
        return new JsonBytes(writer.ToArray(), cacheControl: "no-store");
    }

    /// <summary>The wire name of a refusal: snake_case of the member name.</summary>
    public static string WireName(RoleRefusal refusal) =>
        string.Concat(refusal.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(c) : c.ToString()));

    private static void WriteNullable(CanonicalJsonWriter writer, string name, string? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(value);
        }
    }

    // No body, or a JSON object with only the allowed members (unknown members are refused, SPEC §2).
    private static async Task<(JsonElement? Body, Problem? Problem)> ReadOptionsAsync(HttpContext context, string[] allowed)
    {
        if (!JsonBody.HasBody(context.Request))
        {
            return (null, null);
        }

        var (document, problem) = await JsonBody.ReadAsync(context, 4096);
        if (problem is not null)
        {
            return (null, problem);
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, new Problem(RegistryErrorCode.Malformed, "Expected a JSON object."));
            }

            foreach (var member in root.EnumerateObject())
            {
                if (!allowed.Contains(member.Name, StringComparer.Ordinal))
                {
                    return (null, new Problem(RegistryErrorCode.Malformed, $"Unknown member '{member.Name}'" + (allowed.Length == 0 ? "; expected no body or {}." : $"; expected only {string.Join(", ", allowed)}.")));
                }
            }

            return (root.Clone(), null);
        }
    }
}
