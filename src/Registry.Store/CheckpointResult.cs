using Registry.Store.Checkpoints;

namespace Registry.Store;

/// <summary>A checkpoint the store took on its own (e.g. after a long replay): what was written, or why it failed.</summary>
/// <param name="Written">The checkpoint written, or null when the write failed.</param>
/// <param name="Failure">Why the write failed, or null.</param>
public sealed record CheckpointResult(CheckpointInfo? Written, string? Failure)
{
    /// <inheritdoc />
    public override string ToString() =>
        Written is { } info ? $"checkpoint after replay: {info.Location} at version {info.RegistryVersion}" : $"checkpoint after replay failed: {Failure}";
}
