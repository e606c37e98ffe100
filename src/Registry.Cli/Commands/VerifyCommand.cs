using Registry.Core.Auth;
using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Client.Models;
using Registry.Core.Machine;
using Registry.Core.Model;
using Spectre.Console;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl registry verify</c> (alias <c>ronctl verify</c>): every digest, signature, quorum and link of a live
/// server's chain, from a trusted genesis (<c>--trust-roots</c>, or <c>--dev</c> for the public dev set; without
/// either the server's own genesis is used and a warning says so). Exits 7 naming the first bad version.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global, string name)
    {
        var trustRoots = new Option<string?>("--trust-roots") { Description = "Trust-roots file {registry, signer_set} to verify against" };
        var pin = new Option<string?>("--trust-roots-digest") { Description = "Refuse trust roots whose canonical digest is not this (the config's pin)" };
        var dev = new Option<bool>("--dev") { Description = "Verify against the public dev-mode signer set (2-of-3 dev-signer-N)" };
        var registry = new Option<string?>("--registry") { Description = "Registry id for --dev with --data-dir (default ron-dev)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Verify this data directory offline (service stopped) instead of a live server" };
        var command = new Command(name, "Verify a live server's whole chain, or a data directory offline (digests, signatures, quorum, links, state roots, checkpoints)") { trustRoots, pin, dev, registry, dataDir };
        command.SetHandler(env, global, async (context, cancel) =>
        {
            if (context.Get(dataDir) is { } directory)
            {
                return await DataDirectoryVerify.RunAsync(
                    context,
                    directory,
                    path => OfflineGenesis.Resolve(context, context.Get(trustRoots), context.Get(pin), context.Get(dev), context.Get(registry), path),
                    cancel);
            }

            var client = context.Client();
            GenesisRecord genesis;
            if (context.Get(trustRoots) is { } path)
            {
                genesis = TrustRoots.Load(context.Env.ResolvePath(path), context.Get(pin));
            }
            else if (context.Get(dev))
            {
                genesis = DevCredentials.Genesis((await client.GetHeadAsync(cancel)).Registry ?? "ron-dev");
            }
            else
            {
                genesis = await client.GetGenesisAsync(cancel);
                context.Env.Error.WriteLine($"ronctl: warning: no --trust-roots given; verifying against the server's own genesis {genesis.Hash} (trust on first use)");
            }

            var report = await RunAsync(context, client, genesis, cancel);
            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["ok"] = report.Ok,
                    ["verified"] = report.Verified,
                    ["head_version"] = report.Head.Version,
                    ["head_hash"] = report.Head.HeadHash.ToString(),
                    ["genesis"] = genesis.Hash.ToString(),
                    ["first_bad_version"] = report.FirstBadVersion,
                    ["error"] = report.Error,
                });
            }
            else if (report.Ok)
            {
                context.Line($"ok: verified {report.Verified} commits from genesis {genesis.Hash} to HEAD v{report.Head.Version} {report.Head.HeadHash}");
            }

            return report.Ok
                ? ExitCodes.Ok
                : throw new CliException(ExitCodes.VerificationFailed, $"verification failed at version {report.FirstBadVersion}: {report.Error}");
        });
        return command;
    }

    private static async Task<ChainReport> RunAsync(CommandContext context, Registry.Client.RegistryClient client, GenesisRecord genesis, CancellationToken cancel)
    {
        if (context.Json || !context.Env.Interactive)
        {
            return await client.VerifyChainAsync(genesis, null, cancel);
        }

        return await context.Env.ErrorConsole.Progress().AutoClear(true).StartAsync(async progress =>
        {
            var task = progress.AddTask("verifying commits", maxValue: 1);
            var report = new Progress<VerifyProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = p.Verified;
            });
            return await client.VerifyChainAsync(genesis, report, cancel);
        });
    }
}
