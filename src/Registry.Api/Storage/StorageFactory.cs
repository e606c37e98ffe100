using Registry.Configuration;

namespace Registry.Api.Storage;

/// <summary>Creates the storage the configuration asks for.</summary>
public static class StorageFactory
{
    /// <summary>In memory for <c>--amnesia</c>, else FasterLog-backed in <paramref name="dataDir"/> (opened later by <see cref="IRegistryStorage.OpenAsync"/>).</summary>
    public static IRegistryStorage Create(bool amnesia, string dataDir, StorageOptions options, TimeProvider time) =>
        amnesia ? new MemoryRegistryStorage() : new DurableRegistryStorage(dataDir, options, time);
}
