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
/// <c>trust.log_key</c> and for clients to pin. With <c>--witness NAME</c> instead: a witness's key for
/// <c>witness.key_file</c>, and its cosignature/v1 vkey (type 0x04) for logs' <c>tlog.witnesses</c> and clients' policies.
/// </summary>
internal static class TlogCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var registry = new Option<string?>("--registry") { Description = "The registry id (service.registry_id): the key's name and the checkpoints' origin" };
        var witness = new Option<string?>("--witness") { Description = "Make a witness's key instead, named NAME (e.g. witness.example/w1), for witness.key_file" };
        var output = new Option<string>("--out", "-o") { Description = "Private key file to write (0600), for trust.log_key_file", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace an existing key file" };
        var keygen = new Command("keygen", "Generate the transparency log's signing key (prints its vkey for trust.log_key), or with --witness a witness's key") { registry, witness, output, force };
        keygen.SetHandler(env, global, (context, _) =>
        {
            var witnessName = context.Get(witness);
            if ((witnessName is null) == (context.Get(registry) is null))
            {
                throw CliException.Usage("give exactly one of --registry ID (the log's key) and --witness NAME (a witness's key)");
            }

            var name = witnessName ?? context.Get(registry)!;
            if (witnessName is null && !RegistryIds.IsValid(name))
            {
                throw CliException.Usage($"registry id '{name}' must be 1-128 characters of [a-z0-9:._/-]");
            }

            if (witnessName is not null && !SignedNote.IsValidKeyName(witnessName))
            {
                throw CliException.Usage($"witness name '{witnessName}' must be non-empty, with no white space and no '+'");
            }

            var path = context.Env.ResolvePath(context.Get(output)!);
            var seed = RandomNumberGenerator.GetBytes(32);
            string vkey;
            var text = Encoding.ASCII.GetBytes(NoteSigner.FormatPrivateKey(name, seed) + "\n");
            try
            {
                using (var signer = NoteSigner.FromSeed(name, seed))
                {
                    vkey = (witnessName is null ? signer.VerifierKey : signer.CosignatureKey).ToString();
                }

                PrivateFile.Write(path, text, context.Get(force));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(seed);
                CryptographicOperations.ZeroMemory(text);
            }

            var (keyName, fileName) = witnessName is null ? ("log_key", "log_key_file") : ("witness_key", "key_file");
            if (context.Json)
            {
                context.WriteJson(new JsonObject { [keyName] = vkey, [fileName] = path });
            }
            else
            {
                context.KeyValues([(keyName, vkey), (fileName, path + " (0600)")]);
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return new Command("tlog", "The transparency log") { keygen };
    }
}
