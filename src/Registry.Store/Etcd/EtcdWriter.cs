namespace Registry.Store.Etcd;

/// <summary>The elected writer as its election key says.</summary>
/// <param name="Url">The writer's API URL (where writes go).</param>
/// <param name="Revision">The key's create_revision: the writer's fencing token.</param>
/// <param name="Lease">The lease the key lives under.</param>
public sealed record EtcdWriter(string Url, long Revision, long Lease);
