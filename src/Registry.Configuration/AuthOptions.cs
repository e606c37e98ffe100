using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[auth]: capability root keys and revocations (reloaded on SIGHUP).</summary>
public sealed class AuthOptions
{
    /// <summary>The capabilities file written by <c>ronctl cap rotate|revoke</c>. Empty in dev mode: generated.</summary>
    [ConfigurationKeyName("capabilities_file")]
    public string CapabilitiesFile { get; init; } = string.Empty;
}
