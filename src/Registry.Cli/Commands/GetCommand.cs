using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client.Verification;
using Registry.Core.Model;
using Spectre.Console;

namespace Registry.Cli.Commands;

/// <summary><c>ronctl registry get [VERSION] [--id ID]</c>: a snapshot, or one descriptor with its proof checked.</summary>
internal static class GetCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var version = new Argument<long?>("version") { Description = "Version to read (default: HEAD)", Arity = ArgumentArity.ZeroOrOne };
        var id = new Option<string?>("--id") { Description = "Read one descriptor and verify its inclusion proof against the version's state root" };
        var command = new Command("get", "Show the descriptors at a version, or one descriptor with its verified inclusion proof") { version, id };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var client = context.Client();
            var head = await client.GetHeadAsync(cancel);
            var at = context.Get(version) ?? head.Version;
            if (context.Get(id) is { } descriptorId)
            {
                if (!RegistryIds.IsValid(descriptorId))
                {
                    throw CliException.Usage($"'{descriptorId}' is not a descriptor id (1-128 characters of [a-z0-9:._/-])");
                }

                var proof = await client.GetDescriptorAsync(at, descriptorId, cancel);
                var snapshotOfVersion = at == head.Version ? null : await client.GetSnapshotAsync(at, cancel);
                var verified = snapshotOfVersion is null
                    ? RegistryVerifier.VerifyInclusion(proof, head)
                    : snapshotOfVersion.Commit is { } record ? RegistryVerifier.VerifyInclusion(proof, record) : proof.Verify();
                if (context.Json)
                {
                    context.WriteJson(new JsonObject
                    {
                        ["version"] = proof.Version,
                        ["hash"] = proof.Hash.ToString(),
                        ["state_root"] = proof.StateRoot.ToString(),
                        ["descriptor"] = JsonViews.Of(proof.Descriptor),
                        ["proof_verified"] = verified,
                    });
                }
                else
                {
                    context.KeyValues(
                    [
                        ("id", proof.Descriptor.Id),
                        ("kind", Descriptor.KindName(proof.Descriptor.Kind)),
                        ("attrs", System.Text.Encoding.UTF8.GetString(proof.Descriptor.Attrs)),
                        ("version", proof.Version.ToString(CultureInfo.InvariantCulture)),
                        ("state_root", proof.StateRoot.ToString()),
                        ("proof", verified ? $"verified ({proof.Proof.Siblings.Length} siblings)" : "DOES NOT VERIFY"),
                    ]);
                }

                return verified ? ExitCodes.Ok : throw new CliException(ExitCodes.VerificationFailed, $"the inclusion proof of '{descriptorId}' at version {at} does not verify");
            }

            var snapshot = await client.GetSnapshotAsync(at, cancel);
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["version"] = snapshot.Version,
                    ["hash"] = snapshot.Hash.ToString(),
                    ["commit"] = snapshot.Commit is { } commit ? JsonViews.Of(commit) : JsonViews.Canonical(snapshot.Genesis!.CanonicalBytes),
                    ["items"] = new JsonArray([.. snapshot.Items.Select(JsonViews.Of)]),
                });
                return ExitCodes.Ok;
            }

            var table = CommandContext.Table("id", "kind", "attrs");
            foreach (var item in snapshot.Items)
            {
                CommandContext.Row(table, item.Id, Descriptor.KindName(item.Kind), System.Text.Encoding.UTF8.GetString(item.Attrs));
            }

            table.Caption = new TableTitle(Markup.Escape($"version {snapshot.Version} {snapshot.Hash} ({snapshot.Items.Length} descriptors)"));
            context.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
