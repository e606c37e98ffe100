namespace Registry.Store.Etcd;

/// <summary>How a fenced append to the etcd log ended.</summary>
public enum EtcdAppendResult
{
    /// <summary>etcd committed every event of the call (durable on a quorum).</summary>
    Committed,

    /// <summary>
    /// The fencing compare failed: the writer key is not the caller's any more (its lease expired or another node was
    /// elected). Nothing of the call was written.
    /// </summary>
    NotWriter,

    /// <summary>An event key already exists with other bytes: the caller is behind the log. Nothing was written.</summary>
    Behind,
}
