using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Core.Model;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl registry propose --file F</c>. The file is a proposal document; <c>base_version</c>/<c>base_hash</c>
/// may be left out (HEAD's are used), and <c>registry</c>, <c>expires_at</c> and <c>note</c> too (the service
/// fills them in). A file holding only a <c>changes</c> array is enough.
/// </summary>
internal static class ProposeCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var file = new Option<string>("--file", "-f") { Description = "Proposal JSON file ('-' for stdin)", Required = true };
        var note = new Option<string?>("--note") { Description = "Set the proposal's note" };
        var expiresIn = new Option<string?>("--expires-in") { Description = "Set expires_at to now + this (e.g. 24h)" };
        var command = new Command("propose", "Submit a proposal from a JSON file; prints its id and the state root it would produce") { file, note, expiresIn };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var path = context.Get(file)!;
            var text = path == "-" ? await context.Env.In.ReadToEndAsync(cancel) : await ReadFileAsync(context.Env.ResolvePath(path), cancel);
            JsonObject document;
            try
            {
                document = JsonNode.Parse(text) as JsonObject ?? throw CliException.Usage($"'{path}' must hold a JSON object (a proposal document)");
            }
            catch (JsonException ex)
            {
                throw CliException.Usage($"'{path}' is not JSON: {ex.Message}");
            }

            var client = context.Client();
            if (!document.ContainsKey("base_version") || !document.ContainsKey("base_hash"))
            {
                var head = await client.GetHeadAsync(cancel);
                document["base_version"] ??= head.Version;
                document["base_hash"] ??= head.Hash.ToString();
            }

            if (context.Get(note) is { } n)
            {
                document["note"] = n;
            }

            if (context.Get(expiresIn) is { } e)
            {
                document["expires_at"] = Timestamp.From(DateTimeOffset.UtcNow + Durations.Parse(e, "--expires-in")).ToString();
            }

            var receipt = await client.ProposeAsync(Encoding.UTF8.GetBytes(document.ToJsonString()), cancel);
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["proposal_id"] = receipt.ProposalId.ToString(),
                    ["state_root"] = receipt.StateRoot.ToString(),
                    ["expires_at"] = receipt.ExpiresAt.ToString(),
                    ["proposal"] = JsonViews.Of(receipt.Proposal),
                });
                return ExitCodes.Ok;
            }

            context.KeyValues(
            [
                ("proposal_id", receipt.ProposalId.ToString()),
                ("base", $"v{receipt.Proposal.BaseVersion} {receipt.Proposal.BaseHash}"),
                ("changes", string.Join("; ", receipt.Proposal.Changes.Select(JsonViews.Summary))),
                ("state_root", receipt.StateRoot.ToString()),
                ("expires_at", receipt.ExpiresAt.ToString()),
            ]);
            context.Line($"next: ronctl registry approve --id {receipt.ProposalId} --signer <signer>");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> ReadFileAsync(string path, CancellationToken cancel) =>
        File.Exists(path) ? await File.ReadAllTextAsync(path, cancel) : throw CliException.Usage($"proposal file '{path}' does not exist");
}
