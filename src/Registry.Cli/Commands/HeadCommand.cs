using System.CommandLine;
using Registry.Cli.Infrastructure;

namespace Registry.Cli.Commands;

/// <summary><c>ronctl registry head</c>.</summary>
internal static class HeadCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var command = new Command("head", "Show HEAD: version, hash, state root, descriptor count");
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var head = await context.Client().GetHeadAsync(cancel);
            if (context.Json)
            {
                context.WriteJson(JsonViews.Of(head));
                return ExitCodes.Ok;
            }

            context.KeyValues(
            [
                ("version", head.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("hash", head.Hash.ToString()),
                ("prev_hash", head.PrevHash.ToString()),
                ("state_root", head.StateRoot.ToString()),
                ("committed_at", head.CommittedAt?.ToString()),
                ("descriptors", head.DescriptorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("signer_set", "v" + head.SignerSetVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("registry", head.Registry),
            ]);
            return ExitCodes.Ok;
        });
        return command;
    }
}
