namespace Registry.Api.Replication;

/// <summary>
/// A record from the followed node failed verification, or forks from this replica's chain: nothing of it is stored,
/// and the replica stops advancing. Carries what the operator gets as evidence in the data directory.
/// </summary>
public sealed class ReplicaHaltException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReplicaHaltException()
        : this(false, 0, "The replica halted.", null)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ReplicaHaltException(string message)
        : this(false, 0, message, null)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ReplicaHaltException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with its evidence.</summary>
    /// <param name="fork">True: another record at a version this replica holds. False: the next record does not verify.</param>
    /// <param name="version">The version of the refused record.</param>
    /// <param name="reason">What failed.</param>
    /// <param name="upstream">The followed node's record as received, if it was read.</param>
    public ReplicaHaltException(bool fork, long version, string reason, byte[]? upstream)
        : base(reason)
    {
        Fork = fork;
        Version = version;
        Upstream = upstream;
    }

    /// <summary>True for a fork (the replica's own record at <see cref="Version"/> is the other side), false for a verification failure.</summary>
    public bool Fork { get; }

    /// <summary>The version of the refused record.</summary>
    public long Version { get; }

    /// <summary>The followed node's record as received, or null.</summary>
    public IReadOnlyList<byte>? Upstream { get; }
}
