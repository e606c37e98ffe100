using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client.Models;
using Registry.Core.State;

namespace Registry.Cli.Commands;

/// <summary><c>ronctl registry proposals [--status S] [--id P]</c>.</summary>
internal static class ProposalsCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var status = new Option<string?>("--status") { Description = "Only proposals with this status" };
        status.AcceptOnlyFromAmong("pending", "approved", "stale", "expired");
        var id = new Option<string?>("--id") { Description = "Show one proposal (full id or a unique prefix), committed ones included" };
        var command = new Command("proposals", "List open proposals with their quorum, or show one") { status, id };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var client = context.Client();
            IReadOnlyList<ProposalView> views;
            if (context.Get(id) is { } text)
            {
                views = [await client.GetProposalAsync(await ProposalIds.ResolveAsync(client, text, cancel), cancel)];
            }
            else
            {
                var wanted = context.Get(status) is { } s ? Enum.Parse<ProposalStatus>(s, ignoreCase: true) : (ProposalStatus?)null;
                views = await client.ListProposalsAsync(wanted, cancel);
            }

            if (context.Json)
            {
                context.WriteJson(new JsonArray([.. views.Select(v => (JsonNode)JsonViews.Of(v))]));
                return ExitCodes.Ok;
            }

            var table = CommandContext.Table("proposal_id", "status", "quorum", "approvals", "base", "expires_at", "changes");
            foreach (var view in views)
            {
                CommandContext.Row(
                    table,
                    view.ProposalId.ToString(),
                    view.Status.ToString().ToLowerInvariant() + (view.Version is { } v ? $" (v{v})" : string.Empty),
                    view.Quorum.ToString(),
                    string.Join(", ", view.Approvals.Select(a => a.SignerId)),
                    "v" + view.Proposal.BaseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    view.ExpiresAt.ToString(),
                    string.Join("; ", view.Proposal.Changes.Select(JsonViews.Summary)) + (view.Proposal.Note.Length > 0 ? $" — {view.Proposal.Note}" : string.Empty));
            }

            context.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
