namespace Registry.Store;

/// <summary>
/// A change in whether the store accepts writes: a write fault stopped them, a recovery attempt found the fault still
/// there (with a new reason), writes resumed, or the store halted for good (<see cref="Halted"/>).
/// </summary>
/// <remarks>Immutable; raised by <see cref="RegistryStore.WritabilityChanged"/>.</remarks>
public sealed class StorageWritabilityChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="writable">Whether writes are accepted now.</param>
    /// <param name="halted">Whether the store stopped writing until a restart.</param>
    /// <param name="reason">What happened, for the operator.</param>
    public StorageWritabilityChangedEventArgs(bool writable, bool halted, string reason)
    {
        Writable = writable;
        Halted = halted;
        Reason = reason;
    }

    /// <summary>Whether writes are accepted now.</summary>
    public bool Writable { get; }

    /// <summary>
    /// The store stopped writing until it is restarted: something went wrong that an in-process recovery cannot
    /// settle without guessing (the durable log and the process's view of it disagree). Recovery on the next start
    /// replays and verifies the log.
    /// </summary>
    public bool Halted { get; }

    /// <summary>What happened, for the operator.</summary>
    public string Reason { get; }
}
