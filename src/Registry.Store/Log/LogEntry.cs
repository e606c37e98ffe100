namespace Registry.Store.Log;

/// <summary>One entry read back from a log: its position and its payload (the caller's opaque bytes).</summary>
/// <param name="Position">Where the entry was written.</param>
/// <param name="Payload">The bytes given to <see cref="IEventLog.Append"/>, verified against their checksum.</param>
public sealed record LogEntry(LogPosition Position, ReadOnlyMemory<byte> Payload);
