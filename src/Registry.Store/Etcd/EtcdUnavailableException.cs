namespace Registry.Store.Etcd;

/// <summary>
/// No etcd member answered a call in time, or the members that answered have no quorum: nothing can be said about
/// the cluster's state from this call. Retrying later is safe (every write is create-if-absent and fenced).
/// </summary>
public sealed class EtcdUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EtcdUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EtcdUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public EtcdUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
