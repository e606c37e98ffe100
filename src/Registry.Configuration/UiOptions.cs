using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[ui]: the read-only web explorer at <c>/ui/</c> on the API listener.</summary>
public sealed class UiOptions
{
    /// <summary>Serve <c>GET /ui/</c> (default true; false answers 404 NotFound there).</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; init; } = true;
}
