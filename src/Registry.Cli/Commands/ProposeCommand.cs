using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client.Models;
using Registry.Core.Model;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl registry propose --file F</c>. The file is a proposal document; <c>base_version</c>/<c>base_hash</c>
/// may be left out (HEAD's are used), and <c>registry</c>, <c>expires_at</c> and <c>note</c> too (the service
/// fills them in). A file holding only a <c>changes</c> array is enough. <c>ronctl registry propose --rebase P</c>
/// proposes a stale proposal's changes again on HEAD (<see cref="RebaseCommand"/>). <c>ronctl registry propose
/// --set-log-key VKEY</c> proposes the one change <c>{"op":"set_log_key","log_key":VKEY}</c> (docs/PROTOCOL.md §12.14),
/// the vkey checked here first.
/// </summary>
internal static class ProposeCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var file = new Option<string?>("--file", "-f") { Description = "Proposal JSON file ('-' for stdin)" };
        var rebase = new Option<string?>("--rebase") { Description = "Propose the changes of this stale proposal (id or unique prefix) again on the current HEAD" };
        var setLogKey = new Option<string?>("--set-log-key") { Description = "Propose rotating the transparency log key to this vkey (as 'ronctl tlog keygen' prints it)" };
        var note = new Option<string?>("--note") { Description = "Set the proposal's note" };
        var expiresIn = new Option<string?>("--expires-in") { Description = "Set expires_at to now + this (e.g. 24h)" };
        var command = new Command("propose", "Submit a proposal from a JSON file (or rebase a stale one on HEAD, or rotate the log key); prints its id and the state root it would produce") { file, rebase, setLogKey, note, expiresIn };
        command.Validators.Add(result =>
        {
            var given = (result.GetResult(file) is null ? 0 : 1) + (result.GetResult(rebase) is null ? 0 : 1) + (result.GetResult(setLogKey) is null ? 0 : 1);
            if (given != 1)
            {
                result.AddError("give exactly one of --file FILE, --rebase PROPOSAL_ID and --set-log-key VKEY");
            }
        });
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var expiresAt = context.Get(expiresIn) is { } e ? Timestamp.From(DateTimeOffset.UtcNow + Durations.Parse(e, "--expires-in")) : (Timestamp?)null;
            if (context.Get(rebase) is { } stale)
            {
                return await RebaseCommand.RunAsync(context, stale, context.Get(note), expiresAt, cancel);
            }

            var document = context.Get(setLogKey) is { } vkey ? LogKeyDocument(vkey) : await ReadDocumentAsync(context, context.Get(file)!, cancel);

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

            if (expiresAt is { } at)
            {
                document["expires_at"] = at.ToString();
            }

            var receipt = await client.ProposeAsync(Encoding.UTF8.GetBytes(document.ToJsonString()), cancel);
            if (context.Json)
            {
                context.WriteJson(ToJson(receipt));
                return ExitCodes.Ok;
            }

            context.KeyValues(Rows(receipt));
            context.Line($"next: ronctl registry approve --id {receipt.ProposalId} --signer <signer>");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The receipt as <c>--json</c> prints it.</summary>
    public static JsonObject ToJson(ProposalReceipt receipt) => new()
    {
        ["proposal_id"] = receipt.ProposalId.ToString(),
        ["state_root"] = receipt.StateRoot.ToString(),
        ["expires_at"] = receipt.ExpiresAt.ToString(),
        ["proposal"] = JsonViews.Of(receipt.Proposal),
    };

    /// <summary>The receipt as the table prints it.</summary>
    public static IEnumerable<(string, string?)> Rows(ProposalReceipt receipt) =>
    [
        ("proposal_id", receipt.ProposalId.ToString()),
        ("base", $"v{receipt.Proposal.BaseVersion} {receipt.Proposal.BaseHash}"),
        ("changes", string.Join("; ", receipt.Proposal.Changes.Select(JsonViews.Summary))),
        ("state_root", receipt.StateRoot.ToString()),
        ("expires_at", receipt.ExpiresAt.ToString()),
    ];

    // {"changes":[{"op":"set_log_key","log_key":VKEY}]}, once the vkey parses as the service will parse it.
    private static JsonObject LogKeyDocument(string vkey)
    {
        try
        {
            SetLogKeyChange.ParseVerifierKey(vkey);
        }
        catch (Core.RegistryFormatException ex)
        {
            throw CliException.Usage("--set-log-key: " + ex.Message);
        }

        return new JsonObject { ["changes"] = new JsonArray(new JsonObject { ["op"] = "set_log_key", ["log_key"] = vkey }) };
    }

    private static async Task<JsonObject> ReadDocumentAsync(CommandContext context, string path, CancellationToken cancel)
    {
        var text = path == "-" ? await context.Env.In.ReadToEndAsync(cancel) : await ReadFileAsync(context.Env.ResolvePath(path), cancel);
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw CliException.Usage($"'{path}' must hold a JSON object (a proposal document)");
        }
        catch (JsonException ex)
        {
            throw CliException.Usage($"'{path}' is not JSON: {ex.Message}");
        }
    }

    private static async Task<string> ReadFileAsync(string path, CancellationToken cancel) =>
        File.Exists(path) ? await File.ReadAllTextAsync(path, cancel) : throw CliException.Usage($"proposal file '{path}' does not exist");
}
