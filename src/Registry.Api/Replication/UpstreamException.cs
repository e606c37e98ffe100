namespace Registry.Api.Replication;

/// <summary>
/// The followed node answered in a way that may change on a retry (an error status, a body that is not the documented
/// JSON, a stream that ended or lagged): the follower reconnects after a backoff. Never raised for a record that
/// fails verification; that halts the replica (<see cref="ReplicaHaltException"/>).
/// </summary>
public sealed class UpstreamException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UpstreamException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UpstreamException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public UpstreamException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
