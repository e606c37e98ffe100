namespace Registry.Api.Endpoints;

/// <summary>The directory hot backups go under (<c>storage.backup_dir</c>, absolute).</summary>
/// <param name="Directory">The absolute path; created on the first backup if missing.</param>
public sealed record BackupLocation(string Directory);
