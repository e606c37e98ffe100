// <data_dir>/role.json: the role this data directory belongs to, so that a restart never silently changes it
// (docs/REPLICATION.md, "Roles"). One canonical JSON object, owner-readable only:
//   {"format":1,"hash":"sha256:…","role":"primary"|"demoted"|"replica","since":"…Z","upstream":URL|null,"version":N}
// written atomically (temp file, fsync, rename, fsync of the directory) by a replica when it starts following, by
// `ronctl replica demote` and by `ronctl replica promote`. No file (every data directory before this one existed,
// every primary never demoted): the role comes from the configuration alone. With --amnesia nothing is written.
using System.Text.Json;
using Registry.Configuration;
using Registry.Core.Json;
using Registry.Core.Model;
using Registry.Store.IO;

namespace Registry.Api.Replication;

/// <summary>Reads and writes <c>role.json</c>. Thread-safe for one writer at a time (the caller serializes).</summary>
public sealed class NodeRoleFile(string? dataDirectory)
{
    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "role.json";

    /// <summary>The path, or null with --amnesia.</summary>
    public string? Path => dataDirectory is null ? null : System.IO.Path.Combine(dataDirectory, FileName);

    /// <summary>The stored role, or null when there is none (or with --amnesia).</summary>
    /// <exception cref="ConfigurationException">The file exists but is not a role document: the role is unknown, so the node refuses to start.</exception>
    public NodeRoleRecord? Read()
    {
        if (Path is not { } path || !File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.GetProperty("format").GetInt32() != 1)
            {
                throw new FormatException("format is not 1");
            }

            var role = root.GetProperty("role").GetString();
            if (role is not (NodeRoleRecord.Primary or NodeRoleRecord.Demoted or NodeRoleRecord.Replica))
            {
                throw new FormatException($"unknown role '{role}'");
            }

            var upstream = root.GetProperty("upstream");
            return new NodeRoleRecord(
                role,
                upstream.ValueKind == JsonValueKind.Null ? null : upstream.GetString(),
                root.GetProperty("version").GetInt64(),
                Digest.Parse(root.GetProperty("hash").GetString()!),
                root.GetProperty("since").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"svc-registry cannot start: '{path}' (this data directory's role, docs/REPLICATION.md \"Roles\") cannot be read: {ex.Message}. Restore it, or remove it to take the role from the configuration alone.");
        }
    }

    /// <summary>Writes <paramref name="record"/> durably (a no-op with --amnesia).</summary>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Write(NodeRoleRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Path is not { } path)
        {
            return;
        }

        var writer = new CanonicalJsonWriter();
        writer.WriteStartObject();
        writer.WriteInteger("format", 1);
        writer.WriteString("hash", record.Hash.ToString());
        writer.WriteString("role", record.Role);
        writer.WriteString("since", record.Since);
        writer.WritePropertyName("upstream");
        if (record.Upstream is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.WriteString(record.Upstream);
        }

        writer.WriteInteger("version", record.Version);
        writer.WriteEndObject();

        Directory.CreateDirectory(dataDirectory!);
        DurableFiles.WriteAtomically(path, writer.ToArray());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
