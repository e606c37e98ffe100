using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Store;
using Registry.Store.Maintenance;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl restore --from BACKUP --data-dir DIR</c>: offline (the service stopped). Registry.Store verifies the
/// backup end to end, then copies it into the empty data directory; a backup that fails verification is not copied.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var from = new Option<string>("--from") { Description = "The backup directory ('ronctl backup --out')", Required = true };
        var dataDir = new Option<string>("--data-dir") { Description = "The service's data directory (empty; the service stopped)", Required = true };
        var trust = new StoreOptions();
        var command = new Command("restore", "Verify a backup and put it in place as the data directory (offline)") { from, dataDir };
        trust.AddTo(command);
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var backup = context.Env.ResolvePath(context.Get(from)!);
            var target = context.Env.ResolvePath(context.Get(dataDir)!);
            if (!new DataDirectory(backup).HoldsData)
            {
                throw CliException.Usage($"'{backup}' holds no backup");
            }

            var genesis = OfflineGenesis.Resolve(context, context.Get(trust.TrustRoots), context.Get(trust.Pin), context.Get(trust.Dev), context.Get(trust.Registry), backup);
            VerificationReport report;
            try
            {
                report = await DataDirectoryVerify.WithSpinnerAsync(context, $"verifying and restoring {backup}", () => StoreRestore.RestoreAsync(backup, target, genesis, cancel));
            }
            catch (CorruptStoreException ex)
            {
                throw new CliException(ExitCodes.VerificationFailed, $"not restored: {ex.Message}", ex);
            }

            if (context.Json)
            {
                context.WriteJson(new JsonObject { ["data_dir"] = target, ["from"] = backup, ["version"] = report.HeadVersion, ["head_hash"] = report.HeadHash });
            }
            else
            {
                context.Line($"restored version {report.HeadVersion} ({report.HeadHash}) from {backup} into {target}; start svc-registry and check /readyz and /registry/head");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
