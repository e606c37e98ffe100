using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client;
using Registry.Client.Verification;
using Registry.Core.State;
using Spectre.Console;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl registry approve --id P --signer S [--yes]</c>: shows the proposal's changes as a diff against its
/// base version, asks for confirmation, then signs locally (over the id recomputed from the document) and
/// posts the approval.
/// </summary>
internal static class ApproveCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var id = new Option<string>("--id") { Description = "Proposal id (or a unique prefix)", Required = true };
        var signer = new Option<string>("--signer") { Description = "Signer key file, or a signer id whose key is <key-dir>/<id>.key", Required = true };
        var yes = new Option<bool>("--yes", "-y") { Description = "Sign without asking for confirmation" };
        var command = new Command("approve", "Review a proposal's diff and sign an approval with a local key") { id, signer, yes };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var client = context.Client();
            var signerText = context.Get(signer)!;
            var (signerId, key) = SignerKeys.Load(SignerKeys.PathOf(context, signerText), signerText);
            using (key)
            {
                var proposalId = await ProposalIds.ResolveAsync(client, context.Get(id)!, cancel);
                var view = await client.GetProposalAsync(proposalId, cancel);
                if (!view.IdMatches || view.ProposalId != proposalId)
                {
                    throw new RegistryClientException(RegistryClientErrorCodes.ProposalMismatch, $"Refusing to sign: the server calls the proposal {view.ProposalId}, but its document hashes to {view.Proposal.Id}.");
                }

                var diff = await ProposalDiff.BuildAsync(client, view.Proposal, cancel);
                if (!context.Json)
                {
                    ProposalDiff.Render(context, view, diff);
                }

                if (view.Status is ProposalStatus.Stale or ProposalStatus.Expired or ProposalStatus.Committed)
                {
                    context.Env.Error.WriteLine($"ronctl: warning: the proposal is {view.Status.ToString().ToLowerInvariant()}; the service will refuse new approvals.");
                }

                if (!context.Get(yes) && !Confirm(context, $"Sign proposal {proposalId} as '{signerId}'?"))
                {
                    throw new CliException(ExitCodes.Failure, "not signed: not confirmed (use --yes to sign without asking)");
                }

                var approval = ApprovalSigner.Sign(view, signerId, key);
                var receipt = await client.ApproveAsync(proposalId, approval, cancel);
                if (context.Json)
                {
                    context.WriteJson(new JsonObject
                    {
                        ["proposal_id"] = receipt.ProposalId.ToString(),
                        ["signer_id"] = signerId,
                        ["status"] = receipt.Status.ToString().ToLowerInvariant(),
                        ["quorum"] = JsonViews.Of(receipt.Quorum),
                        ["approvals"] = new JsonArray([.. receipt.Approvals.Select(a => (JsonNode)a.SignerId)]),
                        ["diff"] = ProposalDiff.ToJson(diff),
                    });
                    return ExitCodes.Ok;
                }

                context.KeyValues(
                [
                    ("signed by", signerId),
                    ("status", receipt.Status.ToString().ToLowerInvariant()),
                    ("quorum", receipt.Quorum.ToString()),
                    ("approvals", string.Join(", ", receipt.Approvals.Select(a => a.SignerId))),
                ]);
                if (receipt.Quorum.IsMet)
                {
                    context.Line($"next: ronctl registry commit --id {proposalId}");
                }

                return ExitCodes.Ok;
            }
        });
        return command;
    }

    private static bool Confirm(CommandContext context, string question)
    {
        if (context.Env.Interactive && context.Env.ErrorConsole.Profile.Capabilities.Interactive)
        {
            return context.Env.ErrorConsole.Confirm(Markup.Escape(question), defaultValue: false);
        }

        // No terminal: read the answer from stdin (so `echo y | ronctl registry approve …` works); EOF is "no".
        context.Env.Error.Write(question + " [y/N] ");
        var answer = context.Env.In.ReadLine()?.Trim();
        context.Env.Error.WriteLine();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
