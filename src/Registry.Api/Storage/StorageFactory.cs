using Microsoft.Extensions.Logging;
using Registry.Api.Config;
using Registry.Api.Metrics;

namespace Registry.Api.Storage;

/// <summary>Opens the durable storage for a data directory.</summary>
public static class StorageFactory
{
    /// <summary>The FasterLog-backed storage in <paramref name="dataDir"/>.</summary>
    public static IRegistryStorage Open(string dataDir, StorageOptions options, TimeProvider time, RegistryMetrics metrics, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        _ = (dataDir, options, time, metrics);
        throw new ConfigurationException("durable storage is not wired in this build yet: run with --amnesia");
    }
}
