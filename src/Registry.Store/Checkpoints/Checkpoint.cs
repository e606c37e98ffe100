using System.Buffers;
using Registry.Store.Log;

namespace Registry.Store.Checkpoints;

/// <summary>
/// The full registry state at one point of the log: the caller's serialized state, the registry version it is at,
/// and the log position of the first entry <em>not</em> reflected in it (where replay starts).
/// </summary>
/// <remarks>
/// Immutable. The payload is opaque here; Registry.Core's snapshot codec writes and reads it. It is a sequence so a
/// large state can be serialized into pooled chunks and streamed to disk without one large contiguous buffer.
/// </remarks>
/// <param name="RegistryVersion">The registry version (HEAD) of the state.</param>
/// <param name="Next">The first log entry after the state: replay starts here.</param>
/// <param name="CreatedAt">When the checkpoint was taken (from the store's <see cref="TimeProvider"/>).</param>
/// <param name="Payload">The serialized state.</param>
public sealed record Checkpoint(long RegistryVersion, LogPosition Next, DateTimeOffset CreatedAt, ReadOnlySequence<byte> Payload)
{
    /// <summary>A checkpoint whose payload is one contiguous block.</summary>
    public Checkpoint(long registryVersion, LogPosition next, DateTimeOffset createdAt, ReadOnlyMemory<byte> payload)
        : this(registryVersion, next, createdAt, new ReadOnlySequence<byte>(payload))
    {
    }

    /// <summary>The payload as one contiguous block (copied only when it is in several chunks).</summary>
    public ReadOnlyMemory<byte> ContiguousPayload => Payload.IsSingleSegment ? Payload.First : Payload.ToArray();
}
