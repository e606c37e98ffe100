using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Auth;
using Registry.Api.Http;
using Registry.Api.Storage;
using Registry.Core;
using Registry.Core.Json;

namespace Registry.Api.Endpoints;

/// <summary>
/// <c>POST /admin/backup</c> (no body, or <c>{}</c>; scope <c>registry:admin</c>) on the admin listener: a hot
/// backup (a consistent checkpoint plus the log) written by the running service, which holds the data
/// directory's lock, into a new directory it names under <c>storage.backup_dir</c>. The caller never chooses a
/// path on the service's host: it copies the named directory where it wants (<c>ronctl backup --destination</c>).
/// Answers 200 <c>{"checkpoint","directory","head_hash","log_bytes","version"}</c>; 409
/// <c>BackupDirectoryUnusable</c> naming the path and the cause when the backup directory cannot take it.
/// </summary>
public static class BackupEndpoints
{
    /// <summary>The scope the admin listener's endpoints (other than health, readiness, version, metrics) need.</summary>
    public const string AdminScope = "registry:admin";

    /// <summary>Maps the backup route.</summary>
    public static RouteHandlerBuilder MapBackup(this IEndpointRouteBuilder app) =>
        app.MapPost("/admin/backup", BackupAsync).RequireCapability(AdminScope);

    /// <summary>Takes the backup.</summary>
    public static async Task<Results<JsonBytes, Problem>> BackupAsync(HttpContext context, IRegistryStorageHolder holder, BackupLocation location, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(holder);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(time);
        if (holder.Storage is not RegistryStoreStorage { Amnesia: false } storage)
        {
            return new Problem(RegistryErrorCode.NotFound, "This service runs with --amnesia: there is no data directory to back up.");
        }

        if (await RefuseBodyAsync(context, location) is { } refused)
        {
            return refused;
        }

        string target;
        try
        {
            target = NewBackupDirectory(location.Directory, time.GetUtcNow());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Unusable($"The backup directory '{location.Directory}' (storage.backup_dir) cannot be used: {ex.Message}");
        }

        try
        {
            var report = await storage.BackupAsync(target, context.RequestAborted);
            var writer = new CanonicalJsonWriter();
            writer.WriteStartObject();
            writer.WriteString("checkpoint", report.Checkpoint);
            writer.WriteString("directory", report.Directory);
            writer.WriteString("head_hash", report.HeadHash);
            writer.WriteInteger("log_bytes", report.LogBytes);
            writer.WriteInteger("version", report.Version);
            writer.WriteEndObject();
            return new JsonBytes(writer.ToArray());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Leave no half-written backup behind; if even that fails, say so in the answer.
            var cleanup = TryDelete(target);
            return Unusable($"Writing the backup into '{target}' failed: {ex.Message}{cleanup}");
        }
    }

    // The body is optional and, if sent, must be {}: the old {"destination": ...} is refused with a pointer
    // to the new contract, so a caller that still names a path learns that it is not used.
    private static async Task<Problem?> RefuseBodyAsync(HttpContext context, BackupLocation location)
    {
        if (!JsonBody.HasBody(context.Request))
        {
            return null;
        }

        var (document, problem) = await JsonBody.ReadAsync(context, 4096);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var root = document!.RootElement;
            return root.ValueKind == JsonValueKind.Object && !root.EnumerateObject().Any()
                ? null
                : new Problem(RegistryErrorCode.Malformed, $"Expected no body or {{}}: the service chooses the backup's directory under '{location.Directory}' (storage.backup_dir) and names it in the answer; copy it from there ('ronctl backup --destination DIR' does).");
        }
    }

    // backup-<UTC stamp>-<random>: unique, sortable by time, and never an existing directory.
    private static string NewBackupDirectory(string root, DateTimeOffset now)
    {
        Directory.CreateDirectory(root);
        var name = "backup-" + now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var target = Path.Combine(root, name);
        if (Directory.Exists(target))
        {
            throw new IOException($"'{target}' already exists.");
        }

        Directory.CreateDirectory(target);
        return target;
    }

    private static string TryDelete(string target)
    {
        try
        {
            Directory.Delete(target, recursive: true);
            return string.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $" (the partial copy could not be removed either: {ex.Message})";
        }
    }

    private static Problem Unusable(string detail) => new(RegistryErrorCode.BackupDirectoryUnusable, detail);
}

/// <summary>Gives admin endpoints the storage in use.</summary>
public interface IRegistryStorageHolder
{
    /// <summary>The storage.</summary>
    public IRegistryStorage Storage { get; }
}
