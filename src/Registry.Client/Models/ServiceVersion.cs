using System.Text.Json;
using Registry.Client.Internal;

namespace Registry.Client.Models;

/// <summary><c>GET /version</c> on the admin listener. Immutable.</summary>
/// <param name="Service">Always <c>svc-registry</c>.</param>
/// <param name="Version">The build version.</param>
/// <param name="Commit">The source commit, or <c>unknown</c>.</param>
/// <param name="Schema">The on-disk and wire format generation.</param>
/// <param name="Amnesia">Running with <c>--amnesia</c>.</param>
/// <param name="ReadOnly">Running with <c>--read-only</c>.</param>
/// <param name="Tls">The API listener uses TLS.</param>
public sealed record ServiceVersion(string Service, string Version, string Commit, int Schema, bool Amnesia, bool ReadOnly, bool Tls)
{
    internal static ServiceVersion FromJson(JsonElement e)
    {
        var features = Wire.Member(e, "features");
        return new ServiceVersion(
            Wire.String(e, "service"),
            Wire.String(e, "version"),
            Wire.String(e, "commit"),
            Wire.Int(e, "schema"),
            Wire.Bool(features, "amnesia"),
            Wire.Bool(features, "read_only"),
            Wire.Bool(features, "tls"));
    }
}
