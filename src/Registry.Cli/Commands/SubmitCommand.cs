using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client;
using Registry.Client.Verification;
using Registry.Core;
using Registry.Core.Json;
using Registry.Core.Model;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl registry submit --file F --signer K [--signer K…]</c>: completes the proposal document from HEAD (base,
/// registry, signer set version, scope, a one-hour expiry), signs it locally with every key, and submits it once as
/// a pre-signed commit (<c>POST /registry/commits</c>). <c>ronctl registry sign --file F --signer K</c> only signs a
/// complete document, offline, and prints the approval for someone else to submit.
/// </summary>
internal static class SubmitCommand
{
    public static Command CreateSubmit(CliEnvironment env, GlobalOptions global)
    {
        var file = new Option<string>("--file", "-f") { Description = "Proposal JSON file ('-' for stdin); missing base, registry, signer_set_version, scope and expires_at are filled in", Required = true };
        var signers = new Option<string[]>("--signer") { Description = "Signer key file, or a signer id whose key is <key-dir>/<id>.key (repeat for each signer)", Required = true, AllowMultipleArgumentsPerToken = false };
        var command = new Command("submit", "Sign a proposal locally with every --signer and commit it in one request") { file, signers };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var client = context.Client();
            var head = await client.GetHeadAsync(cancel);
            var document = await ReadDocumentAsync(context, context.Get(file)!, cancel);
            document["base_version"] ??= head.Version;
            document["base_hash"] ??= head.Hash.ToString();
            var defaults = new ProposalDefaults(head.Registry ?? throw CliException.Usage("the service does not report its registry id; put 'registry' in the file"), Timestamp.From(DateTimeOffset.UtcNow.AddHours(1)), head.SignerSetVersion);
            var proposal = Parse(document, defaults);
            var approvals = new List<Approval>();
            foreach (var signer in context.Get(signers)!)
            {
                var (signerId, key) = LoadKey(context, signer);
                using (key)
                {
                    approvals.Add(ApprovalSigner.Sign(proposal.Id, proposal, signerId, key));
                }
            }

            var receipt = await client.SubmitAsync(proposal, approvals, cancel);
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["proposal_id"] = proposal.Id.ToString(),
                    ["version"] = receipt.Version,
                    ["hash"] = receipt.Hash.ToString(),
                    ["committed_at"] = receipt.CommittedAt.ToString(),
                    ["signers"] = new JsonArray([.. approvals.Select(a => (JsonNode)a.SignerId)]),
                });
                return ExitCodes.Ok;
            }

            context.KeyValues(
            [
                ("proposal_id", proposal.Id.ToString()),
                ("signed by", string.Join(", ", approvals.Select(a => a.SignerId))),
                ("version", receipt.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("hash", receipt.Hash.ToString()),
                ("committed_at", receipt.CommittedAt.ToString()),
            ]);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateSign(CliEnvironment env, GlobalOptions global)
    {
        var file = new Option<string>("--file", "-f") { Description = "A complete proposal document ('-' for stdin)", Required = true };
        var signer = new Option<string>("--signer") { Description = "Signer key file, or a signer id whose key is <key-dir>/<id>.key", Required = true };
        var command = new Command("sign", "Sign a complete proposal document offline; prints the approval JSON") { file, signer };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var proposal = Parse(await ReadDocumentAsync(context, context.Get(file)!, cancel), null);
            var signerText = context.Get(signer)!;
            var (signerId, key) = LoadKey(context, signerText);
            using (key)
            {
                var approval = ApprovalSigner.Sign(proposal.Id, proposal, signerId, key);
                var writer = new CanonicalJsonWriter();
                approval.WriteTo(writer);
                if (context.Json)
                {
                    context.WriteJson(new JsonObject { ["proposal_id"] = proposal.Id.ToString(), ["approval"] = JsonViews.Canonical(writer.WrittenSpan) });
                }
                else
                {
                    context.Env.Error.WriteLine($"ronctl: signed proposal {proposal.Id} as '{signerId}'");
                    context.Line(Encoding.UTF8.GetString(writer.WrittenSpan));
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    // A signer given as a path is whoever the file says; one given as an id must be that signer's file.
    private static (string SignerId, Core.Crypto.Ed25519SecretKey Key) LoadKey(CommandContext context, string signer)
    {
        var path = SignerKeys.PathOf(context, signer);
        return SignerKeys.Load(path, path == context.Env.ResolvePath(signer) ? null : signer);
    }

    private static Proposal Parse(JsonObject document, ProposalDefaults? defaults)
    {
        try
        {
            using var parsed = CanonicalJson.Parse(Encoding.UTF8.GetBytes(document.ToJsonString()));
            return Proposal.FromJson(parsed.RootElement, defaults);
        }
        catch (RegistryFormatException ex)
        {
            throw CliException.Usage($"not a proposal: {ex.Message}");
        }
        catch (CanonicalJsonException ex)
        {
            throw CliException.Usage($"not a proposal: {ex.Message}");
        }
    }

    private static async Task<JsonObject> ReadDocumentAsync(CommandContext context, string path, CancellationToken cancel)
    {
        var text = path == "-" ? await context.Env.In.ReadToEndAsync(cancel)
            : File.Exists(context.Env.ResolvePath(path)) ? await File.ReadAllTextAsync(context.Env.ResolvePath(path), cancel)
            : throw CliException.Usage($"proposal file '{path}' does not exist");
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw CliException.Usage($"'{path}' must hold a JSON object (a proposal document)");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw CliException.Usage($"'{path}' is not JSON: {ex.Message}");
        }
    }
}
