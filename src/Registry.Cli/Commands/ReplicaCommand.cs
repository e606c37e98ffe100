using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client.Models;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl replica status|demote|promote</c> (SPEC §7, §9; docs/REPLICATION.md "Promotion"), against the admin
/// listener named by <c>--admin</c> (<c>RON_ADMIN_URL</c>, <c>METRICS_ADDR</c>). Demote and promote need a token with
/// the scope <c>registry:admin</c>. A refusal (409 RoleChangeRefused: the old primary still takes writes or cannot say,
/// the replica is behind, halted or forked) exits 4 with the service's reason; an unreachable node exits 6.
/// </summary>
internal static class ReplicaCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("replica", "A node's role: status, demote a primary, promote a replica (blue/green, fail-over)");
        command.Subcommands.Add(Status(env, global));
        command.Subcommands.Add(Demote(env, global));
        command.Subcommands.Add(Promote(env, global));
        return command;
    }

    private static Command Status(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("status", "The node's role and HEAD, and as a replica what it follows and how far behind it is");
        command.SetHandler(env, global, async (context, cancel) =>
        {
            using var document = await context.AdminClient().GetRoleAsync(cancel);
            var root = document.RootElement;
            if (context.Json)
            {
                context.WriteJson(JsonNode.Parse(root.GetRawText())!);
                return ExitCodes.Ok;
            }

            context.Line($"role      {root.GetProperty("role").GetString()}");
            context.Line($"head      {root.GetProperty("version").GetInt64()} {root.GetProperty("hash").GetString()}");
            if (root.GetProperty("replica") is { ValueKind: System.Text.Json.JsonValueKind.Object } replica)
            {
                context.Line($"follows   {replica.GetProperty("upstream").GetString()} (primary {replica.GetProperty("primary").GetString()})");
                context.Line($"phase     {replica.GetProperty("phase").GetString()}, in sync {(replica.GetProperty("in_sync").GetBoolean() ? "yes" : "no")}, "
                    + $"{replica.GetProperty("lag_versions").GetInt64()} versions / {replica.GetProperty("lag_ms").GetInt64()} ms behind");
                if (replica.GetProperty("reason") is { ValueKind: System.Text.Json.JsonValueKind.String } reason)
                {
                    context.Line($"reason    {reason.GetString()}");
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Demote(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("demote", "Make this primary read-only for good (503 ReadOnly, kept across restarts) and print its last HEAD");
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var receipt = await context.AdminClient().DemoteAsync(cancel);
            Print(context, receipt);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Promote(CliEnvironment env, GlobalOptions global)
    {
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the replica to reach the old primary's HEAD (0-300)", DefaultValueFactory = _ => 10 };
        wait.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 300)
            {
                r.AddError("--wait must be 0 to 300");
            }
        });
        var resume = new Option<bool>("--resume-demoted") { Description = "On a demoted primary: take writes again (only when no other node was promoted)" };
        var command = new Command("promote", "Make this in-sync replica the primary, once the old primary is demoted, read-only or unreachable") { wait, resume };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var receipt = await context.AdminClient().PromoteAsync(context.Get(wait), context.Get(resume), cancel);
            Print(context, receipt);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Print(CommandContext context, RoleChangeReceipt receipt)
    {
        if (context.Json)
        {
            context.WriteJson(new JsonObject
            {
                ["role"] = receipt.Role,
                ["version"] = receipt.Version,
                ["hash"] = receipt.Hash.ToString(),
                ["old_primary"] = receipt.OldPrimary,
                ["old_primary_state"] = receipt.OldPrimaryState,
                ["detail"] = receipt.Detail,
            });
            return;
        }

        context.Line($"{receipt.Role} at version {receipt.Version} ({receipt.Hash})");
        if (receipt.OldPrimary is { } old)
        {
            context.Line($"old primary {old}: {receipt.OldPrimaryState}");
        }

        context.Line(receipt.Detail);
    }
}
