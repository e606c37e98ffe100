namespace Registry.Store.Etcd;

/// <summary>One event of the etcd log as read: its sequence, its canonical bytes, and etcd's revision of it.</summary>
/// <param name="Sequence">The event's sequence (0 for the first).</param>
/// <param name="Payload">The canonical event bytes; not yet verified.</param>
/// <param name="Revision">The etcd revision that created the key.</param>
public sealed record EtcdLogEntry(long Sequence, ReadOnlyMemory<byte> Payload, long Revision);
