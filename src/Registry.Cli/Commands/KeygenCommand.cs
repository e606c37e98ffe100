using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Core.Crypto;
using Registry.Core.Model;

namespace Registry.Cli.Commands;

/// <summary><c>ronctl keygen --id ID [--out FILE]</c>: a fresh Ed25519 signer key, written owner-only (0600).</summary>
internal static class KeygenCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var id = new Option<string>("--id") { Description = "The signer id (1-128 characters of [a-z0-9:._/-])", Required = true };
        var output = new Option<string?>("--out", "-o") { Description = "Key file to write (default: <key-dir>/<id>.key)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing key file" };
        var command = new Command("keygen", "Generate a signer key (secret file 0600); prints the signer id and public key") { id, output, force };
        command.SetHandler(env, global, (context, _) =>
        {
            var signerId = context.Get(id)!;
            if (!RegistryIds.IsValid(signerId))
            {
                throw CliException.Usage($"signer id '{signerId}' must be 1-128 characters of [a-z0-9:._/-]");
            }

            var path = context.Get(output) is { } o ? context.Env.ResolvePath(o) : Path.Combine(context.KeyDir, signerId + ".key");
            using var key = Ed25519SecretKey.Generate(allowSeedExport: true);
            var document = SignerKeyDocument.Serialize(signerId, key);
            try
            {
                PrivateFile.Write(path, document, context.Get(force));
            }
            finally
            {
                Array.Clear(document);
            }

            var publicKey = key.PublicKey.ToBase64();
            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["signer_id"] = signerId, ["algo"] = "ed25519", ["public_key"] = publicKey, ["key_file"] = path });
            }
            else
            {
                context.KeyValues([("signer_id", signerId), ("public_key", publicKey), ("key_file", path + " (0600)")]);
                context.Line("signer entry for a signer set / trust roots:");
                context.Env.Out.WriteLine($$"""  {"algo":"ed25519","id":"{{signerId}}","public_key":"{{publicKey}}"}""");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
