namespace Registry.Store.Log;

/// <summary>
/// The end of the durable prefix of a log: every entry before <see cref="Address"/> (and every entry with a
/// sequence number below <see cref="EntryCount"/>) is on stable storage and survives a crash.
/// </summary>
/// <remarks>
/// Only an <see cref="IEventLog"/> creates these (the constructor is internal), after the bytes are durable.
/// Compare with a written <see cref="LogPosition"/> through <see cref="Covers"/>.
/// </remarks>
public readonly record struct DurablePosition
{
    internal DurablePosition(long address, long entryCount)
    {
        Address = address;
        EntryCount = entryCount;
    }

    /// <summary>The log address one past the last durable entry.</summary>
    public long Address { get; }

    /// <summary>How many entries are durable; also the sequence number the next entry will get.</summary>
    public long EntryCount { get; }

    /// <summary>Whether the entry written at <paramref name="position"/> is inside the durable prefix.</summary>
    public bool Covers(LogPosition position) => position.Sequence < EntryCount && position.Address < Address;

    /// <inheritdoc />
    public override string ToString() => $"durable<{EntryCount}@{Address}";
}
