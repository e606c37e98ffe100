using Microsoft.Extensions.Configuration;

namespace Registry.Configuration;

/// <summary>[log]</summary>
public sealed class LogOptions
{
    /// <summary>Minimum level: verbose, debug, information (info), warning, error, fatal. Reloaded on SIGHUP.</summary>
    [ConfigurationKeyName("level")]
    public string Level { get; init; } = "information";

    /// <summary>
    /// The level of the one line per API request (Serilog.AspNetCore request logging); the same names as
    /// <see cref="Level"/>. The default, debug, is below the default minimum level: no request lines.
    /// Reloaded on SIGHUP.
    /// </summary>
    [ConfigurationKeyName("request_level")]
    public string RequestLevel { get; init; } = "debug";
}
