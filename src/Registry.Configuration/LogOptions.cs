using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[log]</summary>
public sealed class LogOptions
{
    /// <summary>Minimum level: verbose, debug, information (info), warning, error, fatal. Reloaded on SIGHUP.</summary>
    [ConfigurationKeyName("level")]
    public string Level { get; init; } = "information";
}
