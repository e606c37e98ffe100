using System.Collections.Immutable;
using System.Text.Json;
using Registry.Client.Internal;
using Registry.Core.Model;

namespace Registry.Client.Models;

/// <summary><c>GET /readyz</c> on the admin listener (200 or 503 alike). Immutable.</summary>
/// <param name="Ready">Reads can be served.</param>
/// <param name="WriteReady">Writes can be served too.</param>
/// <param name="Missing">What is not ready yet.</param>
/// <param name="Version">HEAD's version, once recovered.</param>
/// <param name="Hash">HEAD's hash, once recovered.</param>
public sealed record ServiceReadiness(bool Ready, bool WriteReady, ImmutableArray<string> Missing, long? Version, Digest? Hash)
{
    /// <summary>On a node of an HA cluster on etcd, its role and position; null on other nodes.</summary>
    public HaReadiness? Ha { get; init; }

    internal static ServiceReadiness FromJson(JsonElement e) => new(
        Wire.Bool(e, "ready"),
        Wire.Bool(e, "write_ready"),
        Wire.Member(e, "missing").EnumerateArray().Select(m => m.GetString() ?? string.Empty).ToImmutableArray(),
        Wire.OptionalLong(e, "version"),
        e.TryGetProperty("hash", out var hash) && hash.ValueKind == JsonValueKind.String ? Digest.Parse(hash.GetString()!) : null)
    {
        Ha = e.TryGetProperty("ha", out var ha) && ha.ValueKind == JsonValueKind.Object ? HaReadiness.FromJson(ha) : null,
    };
}
