using Registry.Api.HighAvailability;

namespace Registry.Api.Replication;

/// <summary>Whether this node is a replica (SPEC §9) or an HA node on etcd: registered on every node, so handlers can ask.</summary>
/// <param name="Replica">The replica's status, or null on a primary.</param>
/// <param name="Ha">On an HA node (<c>storage.backend = "etcd"</c>), its storage and view of the cluster; else null.</param>
public sealed record ReplicaRole(ReplicaStatus? Replica, EtcdStorage? Ha = null);
