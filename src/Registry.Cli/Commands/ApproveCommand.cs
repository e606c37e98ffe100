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
/// base version, whether HEAD moved since and whether anything in the proposal's scope was written since (read from
/// the log: <see cref="ProposalReview"/>), asks for confirmation, then signs locally (over the id recomputed from the
/// document) and posts the approval. A proposal that a commit since its base made stale is not signed (exit 4).
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

                // ronctl reads the log since the base itself rather than trusting the status the service reports.
                var review = view.Status == ProposalStatus.Committed ? null : await ProposalReview.BuildAsync(client, view.Proposal, proposalId, cancel);
                if (!context.Json)
                {
                    ProposalDiff.Render(context, view, diff, review);
                }

                if (view.Status is ProposalStatus.Stale or ProposalStatus.Expired or ProposalStatus.Committed)
                {
                    context.Env.Error.WriteLine($"ronctl: warning: the proposal is {view.Status.ToString().ToLowerInvariant()}; the service will refuse new approvals.");
                }

                if (review is { InScopeUnchanged: false })
                {
                    // No --force: the service refuses an approval that rules 1-3 no longer allow, and a signature over a
                    // proposal that can never commit here is of no use to anyone.
                    var first = review.Conflicts[0];
                    throw new CliException(ExitCodes.Conflict, $"not signed: since its base v{view.Proposal.BaseVersion}, {first.Detail} ({first.Code}); the same changes on HEAD: ronctl registry propose --rebase {proposalId}")
                    {
                        Code = first.Code.ToString(),
                        Details = new JsonObject
                        {
                            ["proposal_id"] = proposalId.ToString(),
                            ["review"] = review.ToJson(),
                            ["diff"] = ProposalDiff.ToJson(diff),
                        },
                    };
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
                        ["review"] = review?.ToJson(),
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
