namespace Registry.Store.Checkpoints;

/// <summary>A checkpoint that failed a check while loading.</summary>
/// <param name="Location">The file (or in-memory name).</param>
/// <param name="Offset">The byte offset the failure concerns.</param>
/// <param name="Reason">What is wrong.</param>
public sealed record RejectedCheckpoint(string Location, long Offset, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Location} at {Offset}: {Reason}";
}
