using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Registry.Api.Http;
using Registry.Api.Storage;
using Registry.Core;
using Registry.Core.Json;

namespace Registry.Api.Endpoints;

/// <summary>
/// <c>POST /admin/backup</c> <c>{"destination":"/abs/new-or-empty-dir"}</c> on the admin listener: a hot backup
/// (a consistent checkpoint plus the log) written by the running service, which holds the data directory's
/// lock. Answers 200 <c>{"checkpoint","directory","head_hash","log_bytes","version"}</c>. Like the rest of the
/// admin listener it is meant for loopback or a trusted network only.
/// </summary>
public static class BackupEndpoints
{
    /// <summary>Maps the backup route.</summary>
    public static RouteHandlerBuilder MapBackup(this IEndpointRouteBuilder app) => app.MapPost("/admin/backup", BackupAsync);

    /// <summary>Takes the backup.</summary>
    public static async Task<Results<JsonBytes, Problem>> BackupAsync(HttpContext context, IRegistryStorageHolder holder)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(holder);
        if (holder.Storage is not DurableRegistryStorage storage)
        {
            return new Problem(RegistryErrorCode.NotFound, "This service runs with --amnesia: there is no data directory to back up.");
        }

        var (document, problem) = await JsonBody.ReadAsync(context, 4096);
        if (problem is not null)
        {
            return problem;
        }

        string destination;
        using (document)
        {
            var root = document!.RootElement;
            var valid = root.ValueKind == JsonValueKind.Object && root.EnumerateObject().Count() == 1
                && root.TryGetProperty("destination", out var value) && value.ValueKind == JsonValueKind.String;
            destination = valid ? root.GetProperty("destination").GetString()! : string.Empty;
            if (!Path.IsPathFullyQualified(destination))
            {
                return new Problem(RegistryErrorCode.Malformed, "Expected {\"destination\":\"<absolute path of a new or empty directory>\"}.");
            }
        }

        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            return new Problem(RegistryErrorCode.Malformed, $"'{destination}' is not empty; a backup goes into a new or empty directory.");
        }

        try
        {
            var report = await storage.BackupAsync(destination, context.RequestAborted);
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
        catch (IOException ex)
        {
            return new Problem(RegistryErrorCode.NotReady, $"The backup failed: {ex.Message}");
        }
    }
}

/// <summary>Gives admin endpoints the storage in use.</summary>
public interface IRegistryStorageHolder
{
    /// <summary>The storage.</summary>
    public IRegistryStorage Storage { get; }
}
