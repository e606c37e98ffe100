using System.CommandLine;
using System.Text.Json.Nodes;
using Registry.Cli.Infrastructure;
using Registry.Store;

namespace Registry.Cli.Commands;

/// <summary>
/// <c>ronctl backup --destination DIR [--data-dir DIR]</c> (<c>--out</c> is the same option): a consistent copy
/// (checkpoint plus log up to it) that opens as a data directory. The copy is made by Registry.Store's
/// <c>RegistryStore.BackupAsync</c>, in whichever process owns the data directory: ronctl itself when the directory
/// is free (service stopped), else the running service, asked through its admin listener (<c>POST /admin/backup</c>,
/// scope <c>registry:admin</c>): that is the hot backup. The service writes it into a directory it names under its
/// <c>storage.backup_dir</c>; ronctl then moves that directory to DIR (a rename on the same file system, else a copy
/// and a delete), so it must run on the service's host.
/// </summary>
internal static class BackupCommand
{
    public static Command Create(CliEnvironment env, GlobalOptions global)
    {
        var output = new Option<string>("--destination", "--out", "-o") { Description = "Where the backup ends up: a new or empty directory", Required = true };
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
                EnsureNewOrEmpty(destination);
                var admin = context.AdminClient();
                Client.Models.BackupReceipt receipt;
                try
                {
                    receipt = await admin.BackupAsync(cancel);
                }
                catch (Client.RegistryClientException ex) when (ex.ErrorCode == Core.RegistryErrorCode.NotFound)
                {
                    throw new CliException(ExitCodes.NotFound, $"svc-registry at {admin.BaseAddress} does not offer hot backup (POST /admin/backup): it runs with --amnesia, or is older; stop it and run 'ronctl backup --data-dir DIR --destination {destination}'", ex);
                }

                var checkpoint = BackupMove.Move(receipt.Directory, destination, receipt.Checkpoint);
                view = new BackupView(destination, receipt.Version, receipt.HeadHash, receipt.LogBytes, checkpoint);
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

    private static void EnsureNewOrEmpty(string destination)
    {
        if (File.Exists(destination) || (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any()))
        {
            throw CliException.Usage($"'{destination}' is not a new or empty directory");
        }
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
