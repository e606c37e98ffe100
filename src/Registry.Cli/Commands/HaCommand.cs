using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl ha status [--node ADMIN_URL]...</c>: on an HA cluster on etcd (docs/HA.md), the elected writer and each
/// node's role and position (events in its verified local copy against the etcd log), from each node's <c>/readyz</c>.
/// Exit 0 when every node answered and one writer is elected; 6 (unreachable) when a node did not answer; 1 when no
/// node is the writer or nodes name different writers.
/// </summary>
internal static class HaCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("ha", "High availability on etcd: the writer and each node's position");
        command.Subcommands.Add(CreateStatus(env, global));
        return command;
    }

    private static Command CreateStatus(CliEnvironment env, GlobalOptions global)
    {
        var nodes = new Option<string[]>("--node") { Description = "A node's admin listener URL (repeat for each node; default: --admin)", AllowMultipleArgumentsPerToken = false };
        var command = new Command("status", "Show the elected writer and, for each node, its role, HEAD and events behind the etcd log") { nodes };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var admins = context.Get(nodes) is { Length: > 0 } given
                ? given.Select(n => new Uri(n.Contains("://", StringComparison.Ordinal) ? n : "http://" + n)).ToList()
                : [context.AdminUri];
            var rows = new List<(Uri Admin, Client.Models.ServiceReadiness? Ready, string? Error)>();
            foreach (var admin in admins)
            {
                try
                {
                    rows.Add((admin, await context.AdminClient(admin).GetReadinessAsync(cancel), null));
                }
                catch (Exception ex) when (ex is RegistryClientException or HttpRequestException or TaskCanceledException && !cancel.IsCancellationRequested)
                {
                    rows.Add((admin, null, ex.Message));
                }
            }

            var writers = rows.Select(r => r.Ready?.Ha?.Writer).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var elected = rows.Where(r => r.Ready?.Ha?.Role == "writer").ToList();
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["writer"] = writers.Count == 1 ? writers[0] : null,
                    ["nodes"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
                    {
                        ["admin"] = r.Admin.ToString(),
                        ["role"] = r.Ready is null ? "unreachable" : r.Ready.Ha?.Role ?? "not_ha",
                        ["version"] = r.Ready?.Version,
                        ["local_events"] = r.Ready?.Ha?.LocalEvents,
                        ["etcd_events"] = r.Ready?.Ha?.EtcdEvents,
                        ["behind"] = r.Ready?.Ha is { } ha ? Math.Max(0, ha.EtcdEvents - ha.LocalEvents) : null,
                        ["step_downs"] = r.Ready?.Ha?.StepDowns,
                        ["reason"] = r.Error ?? r.Ready?.Ha?.Reason,
                    })]),
                });
            }
            else
            {
                context.Line("writer: " + (writers.Count == 1 ? writers[0] : writers.Count == 0 ? "none elected" : "disputed: " + string.Join(", ", writers)));
                var table = CommandContext.Table("node (admin)", "role", "version", "local events", "etcd events", "behind", "step-downs", "reason");
                foreach (var (admin, ready, error) in rows)
                {
                    var ha = ready?.Ha;
                    CommandContext.Row(
                        table,
                        admin.ToString(),
                        ready is null ? "unreachable" : ha?.Role ?? "not_ha",
                        ready?.Version?.ToString(CultureInfo.InvariantCulture),
                        ha?.LocalEvents.ToString(CultureInfo.InvariantCulture),
                        ha?.EtcdEvents.ToString(CultureInfo.InvariantCulture),
                        ha is null ? null : Math.Max(0, ha.EtcdEvents - ha.LocalEvents).ToString(CultureInfo.InvariantCulture),
                        ha?.StepDowns.ToString(CultureInfo.InvariantCulture),
                        error ?? ha?.Reason);
                }

                context.Write(table);
            }

            return rows.Any(r => r.Ready is null) ? ExitCodes.Unreachable
                : elected.Count == 1 && writers.Count == 1 ? ExitCodes.Ok
                : ExitCodes.Failure;
        });
        return command;
    }
}
