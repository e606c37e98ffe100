using System.Text.Json;
using Registry.Client.Internal;

namespace Registry.Client.Models;

/// <summary><c>POST /admin/backup</c> (200): what a hot backup captured. Immutable.</summary>
/// <param name="Directory">The backup directory (on the service's host).</param>
/// <param name="Version">The registry version of the backup.</param>
/// <param name="HeadHash">Its HEAD hash.</param>
/// <param name="LogBytes">Bytes of log copied.</param>
/// <param name="Checkpoint">The checkpoint file written for it.</param>
public sealed record BackupReceipt(string Directory, long Version, string HeadHash, long LogBytes, string Checkpoint)
{
    internal static BackupReceipt FromJson(JsonElement e) => new(
        Wire.String(e, "directory"),
        Wire.Long(e, "version"),
        Wire.String(e, "head_hash"),
        Wire.Long(e, "log_bytes"),
        Wire.String(e, "checkpoint"));
}
