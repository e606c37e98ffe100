namespace Registry.Api.Replication;

/// <summary>Whether this node is a replica (SPEC §9): registered on every node, so handlers can ask.</summary>
/// <param name="Replica">The replica's status, or null on a primary.</param>
public sealed record ReplicaRole(ReplicaStatus? Replica);
