using Registry.Store.Log;

namespace Registry.Store.Checkpoints;

/// <summary>
/// The full registry state at one point of the log: the caller's serialized state, the registry version it is at,
/// and the log position of the first entry <em>not</em> reflected in it (where replay starts).
/// </summary>
/// <remarks>Immutable. The payload is opaque here; Registry.Core's snapshot codec writes and reads it.</remarks>
/// <param name="RegistryVersion">The registry version (HEAD) of the state.</param>
/// <param name="Next">The first log entry after the state: replay starts here.</param>
/// <param name="CreatedAt">When the checkpoint was taken (from the store's <see cref="TimeProvider"/>).</param>
/// <param name="Payload">The serialized state.</param>
public sealed record Checkpoint(long RegistryVersion, LogPosition Next, DateTimeOffset CreatedAt, ReadOnlyMemory<byte> Payload);
