using Registry.Core.Auth;
using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Core.Crypto;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl dev token</c> and <c>ronctl dev key N</c>: the fixed, PUBLIC dev-mode material of a svc-registry
/// started without a configuration file (what it writes to &lt;data_dir&gt;/dev/, which <c>--amnesia</c> does not).
/// </summary>
internal static class DevCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("dev", "Dev-mode material (public, never for real data): the token and the 2-of-3 signer keys");
        var token = new Command("token", "Print the dev token (every write scope)");
        token.SetHandler(env, global, (context, _) =>
        {
            context.Env.Out.WriteLine(DevCredentials.Token());
            return Task.FromResult(ExitCodes.Ok);
        });
        var n = new Argument<int>("n") { Description = "Which dev signer: 1, 2 or 3" };
        n.AcceptOnlyFromAmong("1", "2", "3");
        var output = new Option<string?>("--out", "-o") { Description = "Key file (default: <key-dir>/dev-signer-N.key)" };
        var force = new Option<bool>("--force") { Description = "Replace an existing file" };
        var key = new Command("key", "Write dev signer N's key file (0600)") { n, output, force };
        key.SetHandler(env, global, (context, _) =>
        {
            var number = context.Get(n);
            var id = $"dev-signer-{number}";
            var path = context.Get(output) is { } o ? context.Env.ResolvePath(o) : Path.Combine(context.KeyDir, id + ".key");
            using var secret = SignerKeyDocument.DevKey(number);
            var bytes = SignerKeyDocument.Serialize(id, secret);
            try
            {
                PrivateFile.Write(path, bytes, context.Get(force));
            }
            finally
            {
                Array.Clear(bytes);
            }

            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["signer_id"] = id, ["public_key"] = secret.PublicKey.ToBase64(), ["key_file"] = path });
            }
            else
            {
                context.Line($"{id}: {path}");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        command.Subcommands.Add(token);
        command.Subcommands.Add(key);
        return command;
    }
}
