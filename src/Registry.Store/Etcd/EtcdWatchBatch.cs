namespace Registry.Store.Etcd;

/// <summary>What one watch response carried: new events of the log, and the writer key's change, in revision order.</summary>
/// <param name="Events">New event keys (puts under the log prefix).</param>
/// <param name="WriterChanged">True when the writer key was created or deleted in this response.</param>
/// <param name="Writer">The writer after this response when it was created; null when deleted or unchanged.</param>
/// <param name="Revision">The revision the watch has reached.</param>
public sealed record EtcdWatchBatch(IReadOnlyList<EtcdLogEntry> Events, bool WriterChanged, EtcdWriter? Writer, long Revision);
