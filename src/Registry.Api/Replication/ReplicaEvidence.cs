// The evidence file of a halted replica: <data_dir>/replica-conflict-v<version>.json, one JSON object
//   {"detected_at", "kind": "fork"|"verification", "local": <record>|null, "reason", "serving", "upstream": <record as
//    received>|null, "upstream_url", "version"}
// written once, atomically (temp file + rename), owner-readable only. "local" is this replica's record at the version
// (a fork) or the one before it (a verification failure: the record the refused one should have continued). With
// --amnesia nothing is written (no file is ever written then); the log line carries the same records.
using System.Text.Json;
using Registry.Core.Model;

namespace Registry.Api.Replication;

/// <summary>Writes the two conflicting records of a halt for the operator. Thread-safe (called once).</summary>
internal sealed class ReplicaEvidence(string? dataDirectory, Uri upstream, Func<long> serving, TimeProvider time)
{
    /// <summary>The file of a halt at <paramref name="version"/>, or null with --amnesia.</summary>
    public string? PathOf(long version) =>
        dataDirectory is null ? null : Path.Combine(dataDirectory, $"replica-conflict-v{version}.json");

    /// <summary>Writes the evidence; returns the path, or null with --amnesia.</summary>
    public string? Write(ReplicaHaltException halt, byte[]? local)
    {
        ArgumentNullException.ThrowIfNull(halt);
        if (PathOf(halt.Version) is not { } path)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("detected_at", Timestamp.From(time.GetUtcNow()).ToString());
            json.WriteString("kind", halt.Fork ? "fork" : "verification");
            json.WritePropertyName("local");
            WriteRecord(json, local);
            json.WriteString("reason", halt.Message);
            json.WriteNumber("serving", serving());
            json.WritePropertyName("upstream");
            WriteRecord(json, halt.Upstream is { } raw ? [.. raw] : null);
            json.WriteString("upstream_url", upstream.ToString());
            json.WriteNumber("version", halt.Version);
            json.WriteEndObject();
        }

        Directory.CreateDirectory(dataDirectory!);
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, buffer.ToArray());
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    private static void WriteRecord(Utf8JsonWriter json, byte[]? record)
    {
        if (record is null)
        {
            json.WriteNullValue();
            return;
        }

        // The upstream bytes were parsed from the followed node's JSON answer, the local ones are canonical: both JSON.
        json.WriteRawValue(record, skipInputValidation: false);
    }
}
