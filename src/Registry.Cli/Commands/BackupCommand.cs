using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Store;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl backup --out DIR [--data-dir DIR]</c>: a consistent copy (checkpoint plus log up to it) that opens as a
/// data directory. The copy is made by Registry.Store's <c>RegistryStore.BackupAsync</c>, in whichever process owns
/// the data directory: ronctl itself when the directory is free (service stopped), else the running service,
/// asked through its admin listener (<c>POST /admin/backup</c>): that is the hot backup.
/// </summary>
internal static class BackupCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var output = new Option<string>("--out", "-o") { Description = "Backup directory (new or empty)", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "The data directory: copied directly when the service is stopped; when it runs, the service is asked (hot backup)" };
        var trust = new StoreOptions();
        var command = new Command("backup", "Take a consistent backup (checkpoint + log) that 'ronctl restore' puts back") { output, dataDir };
        trust.AddTo(command);
        command.SetHandler(env, global, async (context, cancel) =>
        {
            var destination = context.Env.ResolvePath(context.Get(output)!);
            BackupView view;
            if (context.Get(dataDir) is { } dir && !InUse(context.Env.ResolvePath(dir)))
            {
                var source = context.Env.ResolvePath(dir);
                if (!new DataDirectory(source).HoldsData)
                {
                    throw CliException.Usage($"'{source}' holds no registry data");
                }

                var genesis = OfflineGenesis.Resolve(context, context.Get(trust.TrustRoots), context.Get(trust.Pin), context.Get(trust.Dev), context.Get(trust.Registry), source);
                view = await DataDirectoryVerify.WithSpinnerAsync(context, $"backing up {source}", async () =>
                {
                    try
                    {
                        await using var store = await RegistryStore.OpenAsync(new RegistryStoreOptions { DataDirectory = source, CheckpointOnClose = false }, genesis, cancel);
                        var report = await store.BackupAsync(destination, cancel);
                        return new BackupView(report.Directory, report.Version, report.HeadHash, report.LogBytes, report.Checkpoint);
                    }
                    catch (CorruptStoreException ex)
                    {
                        throw new CliException(ExitCodes.VerificationFailed, ex.Message, ex);
                    }
                });
            }
            else
            {
                var admin = context.AdminClient();
                Client.Models.BackupReceipt receipt;
                try
                {
                    receipt = await admin.BackupAsync(destination, cancel);
                }
                catch (Client.RegistryClientException ex) when (ex.ErrorCode == Core.RegistryErrorCode.NotFound)
                {
                    throw new CliException(ExitCodes.NotFound, $"svc-registry at {admin.BaseAddress} does not offer hot backup (POST /admin/backup) yet; stop it and run 'ronctl backup --data-dir DIR --out {destination}'", ex);
                }

                view = new BackupView(receipt.Directory, receipt.Version, receipt.HeadHash, receipt.LogBytes, receipt.Checkpoint);
            }

            if (context.Json)
            {
                context.WriteJson(new JsonObject
                {
                    ["directory"] = view.Directory,
                    ["version"] = view.Version,
                    ["head_hash"] = view.HeadHash,
                    ["log_bytes"] = view.LogBytes,
                    ["checkpoint"] = view.Checkpoint,
                });
            }
            else
            {
                context.Line($"backup of version {view.Version} ({view.HeadHash}) in {view.Directory}: {view.LogBytes} log bytes, checkpoint {view.Checkpoint}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>True when a running store holds the directory's lock (then only that process can copy it consistently).</summary>
    private static bool InUse(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw CliException.Usage($"data directory '{directory}' does not exist");
        }

        try
        {
            new DataDirectory(directory).Lock().Dispose();
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private sealed record BackupView(string Directory, long Version, string HeadHash, long LogBytes, string Checkpoint);
}
