using Registry.Configuration;

namespace Registry.Api.Config;

/// <summary>The outcome of reading configuration: the options, where they came from, and whether dev mode applies.</summary>
/// <param name="Options">The validated options.</param>
/// <param name="ConfigPath">The TOML file, or null in dev mode.</param>
/// <param name="DevMode">True when no configuration file was given.</param>
/// <param name="CheckOnly"><c>--check-config</c>: validate and exit without starting.</param>
public sealed record LoadedConfiguration(RegistryOptions Options, string? ConfigPath, bool DevMode, bool CheckOnly = false)
{
    /// <summary>The data directory in effect.</summary>
    public string DataDir => Options.Service.DataDir.Length > 0 ? Path.GetFullPath(Options.Service.DataDir) : Path.GetFullPath("svc-registry-data");

    /// <summary>The directory hot backups go under: <c>storage.backup_dir</c>, else <c>&lt;data dir&gt;/backups</c>.</summary>
    public string BackupDir => Options.Storage.BackupDir.Length > 0 ? Path.GetFullPath(Options.Storage.BackupDir) : Path.Combine(DataDir, "backups");
}
