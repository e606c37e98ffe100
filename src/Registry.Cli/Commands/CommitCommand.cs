using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;

namespace Registry.Cli.Commands;

/// <summary><c>ronctl registry commit --id P</c>.</summary>
internal static class CommitCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var id = new Option<string>("--id") { Description = "Proposal id (or a unique prefix)", Required = true };
        var command = new Command("commit", "Commit an approved proposal (idempotent: a retry reports the same version)") { id };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var client = context.Client();
            var proposalId = await ProposalIds.ResolveAsync(client, context.Get(id)!, cancel);
            var receipt = await client.CommitAsync(proposalId, cancel);
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["version"] = receipt.Version,
                    ["hash"] = receipt.Hash.ToString(),
                    ["committed_at"] = receipt.CommittedAt.ToString(),
                    ["proposal_id"] = proposalId.ToString(),
                });
                return ExitCodes.Ok;
            }

            context.KeyValues(
            [
                ("version", receipt.Version.ToString(CultureInfo.InvariantCulture)),
                ("hash", receipt.Hash.ToString()),
                ("committed_at", receipt.CommittedAt.ToString()),
            ]);
            return ExitCodes.Ok;
        });
        return command;
    }
}
