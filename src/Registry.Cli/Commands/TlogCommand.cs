using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Core.Model;
using Registry.Core.Transparency;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl tlog keygen --registry ID --out FILE</c>: a fresh transparency-log key (docs/PROTOCOL.md section 12.3),
/// the private key written owner-only in the signed-note text form for <c>trust.log_key_file</c>, the vkey printed for
/// <c>trust.log_key</c> and for clients to pin.
/// </summary>
internal static class TlogCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var registry = new Option<string>("--registry") { Description = "The registry id (service.registry_id): the key's name and the checkpoints' origin", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Private key file to write (0600), for trust.log_key_file", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing key file" };
        var keygen = new Command("keygen", "Generate the transparency log's signing key; prints its vkey for trust.log_key") { registry, output, force };
        keygen.SetHandler(env, global, (context, _) =>
        {
            var name = context.Get(registry)!;
            if (!RegistryIds.IsValid(name))
            {
                throw CliException.Usage($"registry id '{name}' must be 1-128 characters of [a-z0-9:._/-]");
            }

            var path = context.Env.ResolvePath(context.Get(output)!);
            var seed = RandomNumberGenerator.GetBytes(32);
            string vkey;
            var text = Encoding.ASCII.GetBytes(NoteSigner.FormatPrivateKey(name, seed) + "\n");
            try
            {
                using (var signer = NoteSigner.FromSeed(name, seed))
                {
                    vkey = signer.VerifierKey.ToString();
                }

                PrivateFile.Write(path, text, context.Get(force));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(seed);
                CryptographicOperations.ZeroMemory(text);
            }

            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["log_key"] = vkey, ["log_key_file"] = path });
            }
            else
            {
                context.KeyValues([("log_key", vkey), ("log_key_file", path + " (0600)")]);
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return new Command("tlog", "The transparency log") { keygen };
    }
}
