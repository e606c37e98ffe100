namespace Registry.Api.HighAvailability;

/// <summary>What an HA node is doing now (<c>/readyz</c> <c>ha.role</c>).</summary>
public enum EtcdNodeRole
{
    /// <summary>Not connected to etcd yet, or reconnecting: serves its local copy, takes no writes.</summary>
    Connecting,

    /// <summary>Tails the etcd log; writes go to the writer (421 NotPrimary).</summary>
    Follower,

    /// <summary>The elected writer: holds the lease and appends.</summary>
    Writer,

    /// <summary>Stopped following after an event of the etcd log failed verification; serves its last verified state.</summary>
    Halted,
}
